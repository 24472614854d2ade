using AgentKit.Models.Gguf;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Checkpoints;

/// <summary>
/// Rebuilds the byte-level BPE tokenizer of a GGUF from its <c>tokenizer.ggml.*</c> keys (what
/// <see cref="Export.GgufExporter"/> writes, and what llama.cpp's converter writes for GPT-2 style vocabularies):
/// tokens by id, merges by rank, control and user-defined tokens as added tokens. The placeholder rows llama.cpp
/// needs past the real vocabulary (type unused, at the end) are dropped. Only the <c>gpt2</c> model with the
/// <c>gpt-2</c> pre-tokenizer is rebuilt: another pre-tokenizer splits words differently, and a tokenizer that
/// silently split them the GPT-2 way would feed the model ids it never saw.
/// </summary>
internal static class GgufTokenizerJson
{
    private const int Control = 3, UserDefined = 4, Unused = 5;

    /// <summary>The tokenizer of <paramref name="file"/> (checked by <see cref="GgufModelValidator"/>).</summary>
    public static ByteLevelBpeTokenizer Read(GgufFile file, string path)
    {
        var model = file["tokenizer.ggml.model"]?.Value as string;
        if (model != "gpt2")
            throw new NotSupportedException(
                $"Cannot import '{path}': its tokenizer is '{model ?? "(none)"}'; the import rebuilds byte-level BPE ('gpt2') tokenizers only, which is what AgentKit exports.");
        var pre = file["tokenizer.ggml.pre"]?.Value as string ?? "default";
        if (pre != "gpt-2")
            throw new NotSupportedException(
                $"Cannot import '{path}': its tokenizer splits words with llama.cpp's '{pre}' pre-tokenizer; the import reproduces only 'gpt-2' (what AgentKit exports).");
        var tokens = file["tokenizer.ggml.tokens"]?.Value as string[] ?? throw Invalid("it has no 'tokenizer.ggml.tokens'");
        var types = file["tokenizer.ggml.token_type"]?.Value as int[] ?? new int[tokens.Length];
        var merges = file["tokenizer.ggml.merges"]?.Value as string[] ?? throw Invalid("it has no 'tokenizer.ggml.merges'");

        var count = tokens.Length;
        while (count > 0 && types[count - 1] == Unused)
            count--;
        var specials = Enumerable.Range(0, count).Where(id => types[id] is Control or UserDefined).Select(id => tokens[id]);
        try
        {
            return new ByteLevelBpeTokenizer(tokens[..count], [.. merges.Select(ParseMerge)], specials);
        }
        catch (InvalidDataException ex)
        {
            throw Invalid($"its tokenizer cannot be rebuilt: {ex.Message}");
        }

        Exception Invalid(string why) => new InvalidDataException($"Cannot import '{path}': {why}.");
    }

    // "left right": the separator is the first space after the first character (byte-level tokens spell spaces 'Ġ',
    // but a special token could still begin with one).
    private static (string, string) ParseMerge(string merge)
    {
        var space = merge.Length > 1 ? merge.IndexOf(' ', 1) : -1;
        return space < 0
            ? throw new InvalidDataException($"merge '{merge}' has no space")
            : (merge[..space], merge[(space + 1)..]);
    }
}
