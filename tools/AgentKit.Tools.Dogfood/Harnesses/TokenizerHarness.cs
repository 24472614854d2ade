using AgentKit.Training.Tokenization;

namespace AgentKit.Tools.Dogfood.Harnesses;

/// <summary>
/// The tokenizer loader: the input is written as <c>tokenizer.json</c> and loaded with <see cref="TokenizerLoader.Load"/>
/// (our byte-level BPE or, for other pre-tokenizers, the Hugging Face loader). A tokenizer the loader accepts must then
/// work: encoding and decoding a short text must not throw, or the loader let an unusable file through.
/// </summary>
public static class TokenizerHarness
{
    private const string Probe = "Thought: 2 + 3?\n```csharp\nFinalAnswer(5);\n```<|im_end|> é 😀";

    /// <summary>Loads <paramref name="data"/> as a <c>tokenizer.json</c> and encodes and decodes a short text with it.</summary>
    /// <remarks>Documented rejection: <see cref="InvalidDataException"/> from the loader. Anything else escaping is a finding.</remarks>
    public static void Parse(ReadOnlySpan<byte> data)
    {
        var path = Scratch.Write(TokenizerLoader.FileName, data);
        ITextTokenizer tokenizer;
        try
        {
            tokenizer = TokenizerLoader.Load(path);
        }
        catch (InvalidDataException)
        {
            return; // not JSON, not BPE, inconsistent vocabulary or merges: the documented rejection
        }
        var ids = tokenizer.Encode(Probe);
        _ = tokenizer.Decode(ids);
    }
}
