using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace AgentKit.Training.Tokenization;

/// <summary>
/// A Hugging Face <c>tokenizer.json</c> of a byte-level BPE model (GPT-2, Qwen2, Llama-3 families) loaded with
/// Microsoft.ML.Tokenizers' byte-level <see cref="BpeTokenizer"/>. Added tokens are matched first. Words are split
/// with the file's own <c>Split</c> regex when it has one (Qwen2, Llama 3), else with GPT-2's pattern; an <c>NFC</c>
/// normalizer (Qwen2's) is applied to the text between added tokens.
/// </summary>
public sealed class HfTokenizer : ITextTokenizer
{
    private readonly BpeTokenizer _inner;
    private readonly Dictionary<string, int> _special;
    private readonly Dictionary<int, string> _specialById;

    private readonly Dictionary<int, int> _byteLengths;

    private readonly bool _nfc;

    private HfTokenizer(BpeTokenizer inner, Dictionary<string, int> special, int vocabSize, Dictionary<int, int> byteLengths, bool nfc)
    {
        _nfc = nfc;
        _byteLengths = byteLengths;
        _inner = inner;
        _special = special;
        _specialById = special.ToDictionary(p => p.Value, p => p.Key);
        VocabSize = vocabSize;
    }

    /// <inheritdoc />
    public int VocabSize { get; }

    /// <inheritdoc />
    public int? EosId => SpecialTokenId(ChatFormat.EndOfText) ?? SpecialTokenId("</s>") ?? SpecialTokenId("<|end_of_text|>");

    /// <inheritdoc />
    public int TokenByteLength(int id) => _byteLengths.TryGetValue(id, out var length) ? length : 0;

    /// <inheritdoc />
    public int? SpecialTokenId(string token) => _special.TryGetValue(token, out var id) ? id : null;

    /// <summary>Loads <paramref name="path"/> (a <c>tokenizer.json</c> whose model is BPE).</summary>
    public static HfTokenizer Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Tokenizer '{path}' does not exist.", path);
        try
        {
            var root = TokenizerJson.ReadRoot(path);
            var model = TokenizerJson.OptionalObject(root["model"], "model") ?? throw new InvalidDataException("no 'model' object");
            if (TokenizerJson.OptionalString(model["type"], "model.type") is { } type && type != "BPE")
                throw new InvalidDataException($"model type is '{type}', expected BPE");
            var vocabObject = TokenizerJson.OptionalObject(model["vocab"], "model.vocab") ?? throw new InvalidDataException("no 'model.vocab' object");
            var vocab = vocabObject.Select(p => KeyValuePair.Create(p.Key, TokenizerJson.Id(p.Value, $"model.vocab[{p.Key}]"))).ToList();
            var merges = TokenizerJson.Array(model["merges"], "model.merges").Select(MergeText).ToList();
            var special = new Dictionary<string, int>();
            foreach (var node in TokenizerJson.Array(root["added_tokens"], "added_tokens"))
            {
                var added = TokenizerJson.OptionalObject(node, "added_tokens[]") ?? throw new InvalidDataException("an added token is null");
                var content = TokenizerJson.String(added["content"], "added_tokens[].content");
                // An empty added token would match everywhere and never advance the text.
                if (content.Length == 0)
                    throw new InvalidDataException("an added token is empty");
                if (!special.TryAdd(content, TokenizerJson.Id(added["id"], $"added_tokens[{content}].id")))
                    throw new InvalidDataException($"added token '{content}' is listed twice");
            }
            var pattern = HfPreTokenizer.FindSplitPattern(root["pre_tokenizer"]) ?? HfPreTokenizer.Gpt2Pattern;
            var inner = BpeTokenizer.Create(new BpeOptions(vocab)
            {
                Merges = merges,
                ByteLevel = true,
                SpecialTokens = special,
                PreTokenizer = new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled), special),
            });
            var maxId = vocab.Select(p => p.Value).Concat(special.Values).DefaultIfEmpty(-1).Max();
            if (maxId == int.MaxValue)
                throw new InvalidDataException($"token id {maxId} leaves no room for a vocabulary size");
            // Vocabulary strings are in byte-alphabet form: one character per byte.
            var byteLengths = vocab.ToDictionary(p => p.Value, p => p.Key.Length);
            foreach (var (content, id) in special)
                byteLengths[id] = Encoding.UTF8.GetByteCount(content);
            // Qwen2's tokenizer normalises to NFC before splitting; other normalisers are not applied.
            var nfc = (string?)root["normalizer"]?["type"] == "NFC";
            return new HfTokenizer(inner, special, maxId + 1, byteLengths, nfc);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"Tokenizer '{path}' could not be loaded: {ex.Message}", ex);
        }
    }

    /// <summary>A merge as Microsoft.ML.Tokenizers takes it: "a b" (files store "a b" or ["a", "b"]).</summary>
    private static string MergeText(JsonNode? merge) => merge switch
    {
        JsonArray { Count: 2 } pair => $"{TokenizerJson.String(pair[0], "model.merges[][0]")} {TokenizerJson.String(pair[1], "model.merges[][1]")}",
        JsonArray => throw new InvalidDataException("a merge given as an array must have two strings"),
        _ => TokenizerJson.String(merge, "model.merges[]"),
    };

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        var ids = new List<int>();
        var start = 0;
        var specials = _special.Keys.OrderByDescending(s => s.Length).ToArray();
        while (start < text.Length)
        {
            var (at, token) = specials.Select(s => (At: text.IndexOf(s, start, StringComparison.Ordinal), Token: s))
                .Where(p => p.At >= 0).OrderBy(p => p.At).FirstOrDefault((-1, ""));
            var end = at < 0 ? text.Length : at;
            if (end > start)
                ids.AddRange(_inner.EncodeToIds(_nfc ? text[start..end].Normalize(NormalizationForm.FormC) : text[start..end]));
            if (at < 0)
                break;
            ids.Add(_special[token]);
            start = at + token.Length;
        }
        return ids;
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var run = new List<int>();
        foreach (var id in ids)
        {
            if (_specialById.TryGetValue(id, out var special))
            {
                Flush();
                text.Append(special);
            }
            else
            {
                run.Add(id);
            }
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            if (run.Count > 0)
                text.Append(_inner.Decode(run, considerSpecialTokens: false));
            run.Clear();
        }
    }
}
