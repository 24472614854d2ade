using AgentKit.Models.Gguf;

namespace AgentKit.TestUtils;

/// <summary>
/// Tiny random-weight llama models for tests: written once per process into a temporary directory, loadable by
/// llama.cpp in milliseconds. Their text is noise; use them for control flow, grammars, seeds and plumbing.
/// </summary>
public static class TinyModels
{
    private static readonly Lazy<string> ChatModel = new(() => Create("tiny-llama-chatml.gguf", new RandomLlamaOptions()));
    private static readonly Lazy<string> PlainModel = new(() => Create("tiny-llama-no-template.gguf", new RandomLlamaOptions { ChatTemplate = null }));
    private static readonly Lazy<string> Directory = new(() =>
    {
        var path = Path.Combine(Path.GetTempPath(), "agentkit-tests", $"models-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        System.IO.Directory.CreateDirectory(path);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(path);
        return path;
    });

    /// <summary>Path of a ~110k-parameter f32 llama model with a ChatML chat template (same file for the whole process).</summary>
    public static string RandomLlamaPath() => ChatModel.Value;

    /// <summary>Path of the same kind of model without a chat template.</summary>
    public static string RandomLlamaWithoutTemplatePath() => PlainModel.Value;

    /// <summary>A fresh path in the per-process temporary directory (the file is not created).</summary>
    public static string TempPath(string fileName) => Path.Combine(Directory.Value, $"{Guid.NewGuid():N}"[..8] + "-" + fileName);

    private static string Create(string fileName, RandomLlamaOptions options)
    {
        var path = Path.Combine(Directory.Value, fileName);
        RandomLlamaModel.Write(path, options);
        return path;
    }

    private static void TryDelete(string path)
    {
        try
        {
            System.IO.Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a file may still be mapped by llama.cpp at exit.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
