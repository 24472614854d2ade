using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentKit.Training.Tokenization;

/// <summary>
/// Byte-level BPE (GPT-2 style): text is split by <see cref="Gpt2PreTokenizer"/>, each word's UTF-8 bytes are
/// mapped through <see cref="ByteLevelAlphabet"/>, and merges apply lowest rank first (leftmost on ties),
/// exactly as llama.cpp's <c>gpt2</c> tokenizer does. Special tokens are matched in the text first, longest
/// first. Every byte has a token, so <c>Decode(Encode(x)) == x</c> for any string.
/// Saved as an HF <c>tokenizer.json</c>.
/// </summary>
public sealed class ByteLevelBpeTokenizer : ITextTokenizer
{
    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<(string, string), int> _mergeRanks;
    private readonly Dictionary<string, int> _special;
    private readonly string[] _specialByLength;
    private readonly Dictionary<string, int[]> _wordCache = new();

    /// <summary>Creates a tokenizer from its vocabulary (token strings in byte-alphabet form), merges and special tokens.</summary>
    /// <param name="tokens">Token string of each id; ids of special tokens hold the special token text.</param>
    /// <param name="merges">Merge rules, highest priority first.</param>
    /// <param name="specialTokens">Special token strings; each must be in <paramref name="tokens"/>.</param>
    public ByteLevelBpeTokenizer(IReadOnlyList<string> tokens, IReadOnlyList<(string Left, string Right)> merges, IEnumerable<string> specialTokens)
    {
        _tokens = [.. tokens];
        _ids = new Dictionary<string, int>(_tokens.Length);
        for (var i = 0; i < _tokens.Length; i++)
        {
            if (!_ids.TryAdd(_tokens[i], i))
                throw new InvalidDataException($"Token '{_tokens[i]}' appears twice in the vocabulary (ids {_ids[_tokens[i]]} and {i}).");
        }
        for (var b = 0; b < 256; b++)
        {
            if (!_ids.ContainsKey(ByteLevelAlphabet.Encode((byte)b).ToString()))
                throw new InvalidDataException($"The vocabulary lacks the token for byte {b}; byte-level BPE needs all 256.");
        }
        _mergeRanks = new Dictionary<(string, string), int>(merges.Count);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (!_ids.ContainsKey(left + right))
                throw new InvalidDataException($"Merge '{left} {right}' produces '{left + right}', which is not in the vocabulary.");
            _mergeRanks.TryAdd((left, right), rank);
        }
        Merges = [.. merges];
        _special = new Dictionary<string, int>();
        foreach (var token in specialTokens)
        {
            // An empty special token would match everywhere and never advance the text.
            if (string.IsNullOrEmpty(token))
                throw new InvalidDataException("A special token is empty.");
            if (!_ids.TryGetValue(token, out var id))
                throw new InvalidDataException($"Special token '{token}' is not in the vocabulary.");
            _special[token] = id;
        }
        _specialByLength = [.. _special.Keys.OrderByDescending(s => s.Length).ThenBy(s => s, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public int VocabSize => _tokens.Length;

    /// <summary>Token strings by id (byte-alphabet form; special tokens verbatim).</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>Merge rules by rank.</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; }

    /// <summary>Special tokens and their ids.</summary>
    public IReadOnlyDictionary<string, int> SpecialTokens => _special;

    /// <inheritdoc />
    public int? EosId => SpecialTokenId(ChatFormat.EndOfText);

    /// <inheritdoc />
    public int TokenByteLength(int id) =>
        _special.ContainsKey(_tokens[id]) ? Encoding.UTF8.GetByteCount(_tokens[id]) : _tokens[id].Length;

    /// <inheritdoc />
    public int? SpecialTokenId(string token) => _special.TryGetValue(token, out var id) ? id : null;

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        foreach (var (fragment, specialId) in SplitSpecial(text))
        {
            if (specialId is { } id)
            {
                ids.Add(id);
                continue;
            }
            foreach (var word in Gpt2PreTokenizer.Split(fragment))
                ids.AddRange(EncodeWord(word));
        }
        return ids;
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (id < 0 || id >= _tokens.Length)
                throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {id} is outside the vocabulary of {_tokens.Length}.");
            var token = _tokens[id];
            if (_special.ContainsKey(token))
            {
                Flush();
                text.Append(token);
            }
            else if (!ByteLevelAlphabet.TryDecode(token, bytes))
            {
                throw new InvalidDataException($"Token {id} '{token}' is not in byte-level form.");
            }
        }
        Flush();
        return text.ToString();

        void Flush()
        {
            text.Append(Encoding.UTF8.GetString([.. bytes]));
            bytes.Clear();
        }
    }

    /// <summary>Saves as an HF <c>tokenizer.json</c> (ByteLevel pre-tokenizer and decoder, BPE model).</summary>
    public void Save(string path)
    {
        var vocab = new JsonObject();
        for (var i = 0; i < _tokens.Length; i++)
        {
            if (!_special.ContainsKey(_tokens[i]))
                vocab[_tokens[i]] = i;
        }
        var added = new JsonArray();
        foreach (var (token, id) in _special.OrderBy(p => p.Value))
        {
            added.Add(new JsonObject
            {
                ["id"] = id, ["content"] = token, ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        }
        var byteLevel = new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = byteLevel.DeepClone(),
            ["post_processor"] = null,
            ["decoder"] = byteLevel.DeepClone(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = null,
                ["end_of_word_suffix"] = null, ["fuse_unk"] = false, ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray([.. Merges.Select(m => (JsonNode)JsonValue.Create($"{m.Left} {m.Right}"))]),
            },
        };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }

    /// <summary>
    /// Loads a byte-level BPE <c>tokenizer.json</c> (as written by <see cref="Save"/> or HF tokenizers for GPT-2
    /// style models). Merges may be "a b" strings or ["a", "b"] pairs.
    /// </summary>
    public static ByteLevelBpeTokenizer Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Tokenizer '{path}' does not exist.", path);
        try
        {
            var root = TokenizerJson.ReadRoot(path);
            var model = TokenizerJson.OptionalObject(root["model"], "model") ?? throw new InvalidDataException("no 'model' object");
            if (TokenizerJson.OptionalString(model["type"], "model.type") is { } type && type != "BPE")
                throw new InvalidDataException($"model type is '{type}', expected BPE");
            var vocab = TokenizerJson.OptionalObject(model["vocab"], "model.vocab") ?? throw new InvalidDataException("no 'model.vocab' object");
            var pairs = vocab.Select(p => (Token: p.Key, Id: TokenizerJson.Id(p.Value, $"model.vocab[{p.Key}]"))).ToList();
            var specials = new List<string>();
            foreach (var node in TokenizerJson.Array(root["added_tokens"], "added_tokens"))
            {
                var added = TokenizerJson.OptionalObject(node, "added_tokens[]") ?? throw new InvalidDataException("an added token is null");
                var content = TokenizerJson.OptionalString(added["content"], "added_tokens[].content") ?? throw new InvalidDataException("an added token lacks 'content'");
                pairs.Add((content, TokenizerJson.Id(added["id"], $"added_tokens[{content}].id")));
                specials.Add(content);
            }
            // HF files may list an added token in the vocabulary too, under the same id.
            pairs = [.. pairs.Distinct()];
            if (pairs.Count == 0)
                throw new InvalidDataException("the vocabulary is empty");
            // Ids run 0..count-1: a larger id means a gap, found here before anything is allocated for it.
            var size = pairs.Count;
            var tokens = new string?[size];
            foreach (var (token, id) in pairs)
            {
                if (id >= size)
                    throw new InvalidDataException($"token '{token}' has id {id}, but there are only {size} tokens; ids must be contiguous from 0");
                if (tokens[id] is { } other)
                    throw new InvalidDataException($"tokens '{other}' and '{token}' share id {id}");
                tokens[id] = token;
            }
            var missing = Array.FindIndex(tokens, t => t is null);
            if (missing >= 0)
                throw new InvalidDataException($"no token has id {missing}; ids must be contiguous");
            var merges = TokenizerJson.Array(model["merges"], "model.merges").Select(ParseMerge).ToList();
            return new ByteLevelBpeTokenizer(tokens!, merges, specials);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or InvalidDataException)
        {
            throw new InvalidDataException($"Tokenizer '{path}' is not a usable byte-level BPE tokenizer.json: {ex.Message}", ex);
        }
    }

    private static (string, string) ParseMerge(JsonNode? node)
    {
        if (node is JsonArray { Count: 2 } pair)
            return (TokenizerJson.String(pair[0], "model.merges[][0]"), TokenizerJson.String(pair[1], "model.merges[][1]"));
        var text = TokenizerJson.OptionalString(node, "model.merges[]") ?? throw new InvalidDataException("a merge is null");
        // "a b": the separator is the first space after the first character (a token may itself be a space).
        var space = text.Length > 1 ? text.IndexOf(' ', 1) : -1;
        if (space < 0)
            throw new InvalidDataException($"merge '{text}' has no space");
        return (text[..space], text[(space + 1)..]);
    }

    private IEnumerable<(string Fragment, int? SpecialId)> SplitSpecial(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            // Find the earliest special token occurrence; longest wins at the same position.
            int bestAt = -1;
            string? best = null;
            foreach (var special in _specialByLength)
            {
                var at = text.IndexOf(special, start, StringComparison.Ordinal);
                if (at >= 0 && (bestAt < 0 || at < bestAt))
                {
                    bestAt = at;
                    best = special;
                }
            }
            if (best is null)
            {
                yield return (text[start..], null);
                yield break;
            }
            if (bestAt > start)
                yield return (text[start..bestAt], null);
            yield return (best, _special[best]);
            start = bestAt + best.Length;
        }
    }

    private int[] EncodeWord(string word)
    {
        lock (_wordCache)
        {
            if (_wordCache.TryGetValue(word, out var cached))
                return cached;
        }
        var mapped = ByteLevelAlphabet.Encode(Encoding.UTF8.GetBytes(word));
        var symbols = mapped.Select(c => c.ToString()).ToList();
        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            var bestAt = -1;
            for (var i = 0; i < symbols.Count - 1; i++)
            {
                if (_mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    bestAt = i;
                }
            }
            if (bestAt < 0)
                break;
            symbols[bestAt] += symbols[bestAt + 1];
            symbols.RemoveAt(bestAt + 1);
        }
        var ids = symbols.Select(s => _ids[s]).ToArray();
        lock (_wordCache)
        {
            if (_wordCache.Count < 100_000)
                _wordCache[word] = ids;
        }
        return ids;
    }
}
