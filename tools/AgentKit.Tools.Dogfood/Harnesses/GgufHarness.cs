using AgentKit.Models;
using AgentKit.Models.Gguf;

namespace AgentKit.Tools.Dogfood.Harnesses;

/// <summary>
/// The GGUF header reader and model validator, through their public entry point: the input is written as a model file
/// and <see cref="GgufModelValidator.Validate(string)"/> checks it, as <c>agentkit run</c> does before llama.cpp sees the file.
/// </summary>
public static class GgufHarness
{
    /// <summary>Validates <paramref name="data"/> as a GGUF model file.</summary>
    /// <remarks>Documented rejection: <see cref="ModelLoadException"/>. Anything else escaping is a finding.</remarks>
    public static void Parse(ReadOnlySpan<byte> data)
    {
        var path = Scratch.Write("model.gguf", data);
        try
        {
            _ = GgufModelValidator.Validate(path);
        }
        catch (ModelLoadException)
        {
            // a corrupt, truncated or unsupported file, reported with a message: the documented rejection
        }
    }
}
