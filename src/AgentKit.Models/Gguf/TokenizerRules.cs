using System.Text.RegularExpressions;

namespace AgentKit.Models.Gguf;

/// <summary>
/// Checks the <c>tokenizer.ggml.*</c> metadata: llama.cpp reads the per-token arrays as raw memory indexed by token
/// id and asserts (aborting the process) on duplicate token texts, so lengths, element types, ids and byte tokens
/// are checked here first.
/// </summary>
internal static partial class TokenizerRules
{
    /// <summary>Tokenizer models llama.cpp's vocabulary loader knows (<c>tokenizer.ggml.model</c>).</summary>
    private static readonly HashSet<string> KnownModels = new(StringComparer.Ordinal) { "no_vocab", "none", "llama", "bert", "gpt2", "t5", "rwkv", "plamo2" };

    /// <summary>Checks the tokenizer; returns the vocabulary size, or null for a model without a vocabulary.</summary>
    public static int? Check(ModelFileCheck check)
    {
        const string modelKey = "tokenizer.ggml.model";
        var model = check.String(modelKey) ?? throw check.Fail($"the required key '{modelKey}' is missing");
        if (!KnownModels.Contains(model))
            throw check.Fail($"'{modelKey}' is '{model}', which llama.cpp does not know (it knows {string.Join(", ", KnownModels)})");
        if (model is "no_vocab" or "none")
            return null;

        var tokens = check.ArrayOf<string>("tokenizer.ggml.tokens", GgufValueType.String)
            ?? throw check.Fail("the required key 'tokenizer.ggml.tokens' is missing");
        if (tokens.Length == 0)
            throw check.Fail("'tokenizer.ggml.tokens' is empty");
        var ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (var id = 0; id < tokens.Length; id++)
        {
            if (!ids.TryAdd(tokens[id], id))
                throw check.Fail($"token '{Printable(tokens[id])}' appears twice in 'tokenizer.ggml.tokens' (ids {ids[tokens[id]]} and {id})");
        }

        // llama.cpp indexes these by token id without checking their length.
        RequireLength(check, check.ArrayOf<int>("tokenizer.ggml.token_type", GgufValueType.Int32), "tokenizer.ggml.token_type", tokens.Length);
        RequireLength(check, check.ArrayOf<float>("tokenizer.ggml.scores", GgufValueType.Float32), "tokenizer.ggml.scores", tokens.Length);
        var merges = check.ArrayOf<string>("tokenizer.ggml.merges", GgufValueType.String);
        if (model == "gpt2" && merges is null)
            throw check.Fail("a 'gpt2' (BPE) tokenizer needs 'tokenizer.ggml.merges', which is missing");

        foreach (var (key, _) in check.File.Metadata)
        {
            if (SpecialTokenKey().IsMatch(key))
                check.Integer(key, 0, tokens.Length - 1);
        }

        // Optional, and ignored by llama.cpp, but a different count means the header describes another model.
        var declared = check.Integer(check.Key("vocab_size"), 1, int.MaxValue);
        if (declared is { } size && size != tokens.Length)
            throw check.Fail($"'{check.Key("vocab_size")}' is {size} but 'tokenizer.ggml.tokens' has {tokens.Length} tokens");
        if (model == "llama")
            RequireByteTokens(check, ids);
        return tokens.Length;
    }

    private static void RequireLength<T>(ModelFileCheck check, T[]? values, string key, int tokens)
    {
        if (values is not null && values.Length != tokens)
            throw check.Fail($"'{key}' has {values.Length} entries but 'tokenizer.ggml.tokens' has {tokens}");
    }

    /// <summary>
    /// llama.cpp's SentencePiece tokenizer spells any text it cannot match as byte tokens (<c>&lt;0x41&gt;</c>, or the
    /// character itself for ASCII) and aborts when one is missing, so all 256 must exist.
    /// </summary>
    private static void RequireByteTokens(ModelFileCheck check, Dictionary<string, int> ids)
    {
        for (var b = 0; b < 256; b++)
        {
            if (!ids.ContainsKey($"<0x{b:X2}>") && !(b < 0x80 && ids.ContainsKey(((char)b).ToString())))
                throw check.Fail($"its 'llama' (SentencePiece) vocabulary has no byte token <0x{b:X2}>, which llama.cpp needs to encode arbitrary text");
        }
    }

    private static string Printable(string token) =>
        token.Length <= 40 ? token.ReplaceLineEndings("\\n") : string.Concat(token.AsSpan(0, 37).ToString().ReplaceLineEndings("\\n"), "...");

    [GeneratedRegex(@"^tokenizer\.ggml\.[a-z_]+_token_id$", RegexOptions.CultureInvariant)]
    private static partial Regex SpecialTokenKey();
}
