using System.Text;
using AgentKit.Tools.Dogfood.Harnesses;
using AgentKit.Training.Tokenization;

namespace AgentKit.Fuzzing.Tests.Dogfood;

/// <summary>
/// Crashes of the tokenizer loader found by the dogfood campaign (or by reading its code while fixing them), each as the
/// smallest input that showed it: the loader must now reject it with <see cref="InvalidDataException"/>, through both
/// routes (our byte-level loader for a ByteLevel pre-tokenizer, the Hugging Face loader otherwise), and the harness must
/// run it clean.
/// </summary>
public sealed class TokenizerLoaderRegressionTests
{
    private const string ByteLevel = "\"pre_tokenizer\":{\"type\":\"ByteLevel\"},";
    private const string Hf = "\"pre_tokenizer\":null,";

    // The 256 byte tokens (ids 0-255), so each input gets past the byte-coverage check to the field it breaks.
    private static readonly string Bytes = string.Join(",", Enumerable.Range(0, 256).Select(b => $"\"\\u{(int)ByteLevelAlphabet.Encode((byte)b):X4}\":{b}"));

    public static TheoryData<string, string> Inputs => new()
    {
        // found: ArgumentException (JsonObject's duplicate key) escaped both loaders
        { "duplicate key", "{%PRE%\"model\":{\"type\":\"BPE\",\"vocab\":{%BYTES%,\"ab\":256,\"ab\":257}}}" },
        // found: NullReferenceException, an added token without "id"
        { "added token without id", "{%PRE%\"added_tokens\":[{\"content\":\"x\"}],\"model\":{\"vocab\":{%BYTES%}}}" },
        // same cast, in the vocabulary: a null id
        { "null vocabulary id", "{%PRE%\"model\":{\"vocab\":{%BYTES%,\"ab\":null}}}" },
        // byte-level: OverflowException (largest id + 1) after trying to allocate an array for every id up to it
        { "largest id", "{%PRE%\"model\":{\"vocab\":{%BYTES%,\"ab\":2147483647}}}" },
        // byte-level: ArgumentOutOfRangeException from an empty merge string
        { "empty merge", "{%PRE%\"model\":{\"vocab\":{%BYTES%},\"merges\":[\"\"]}}" },
        // NullReferenceException: a merge pair holding null
        { "null in merge pair", "{%PRE%\"model\":{\"vocab\":{%BYTES%},\"merges\":[[null,\"a\"]]}}" },
        // a hang in Encode: an empty special token matches everywhere and never advances
        { "empty special token", "{%PRE%\"added_tokens\":[{\"id\":256,\"content\":\"\"}],\"model\":{\"vocab\":{%BYTES%}}}" },
        // InvalidOperationException in the loader's dispatch: the root is an array
        { "array root", "[{%PRE%\"model\":{}}]" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Byte_level_route_rejects_it_with_invalid_data(string what, string template) => Rejected(what, Expand(template, ByteLevel));

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Hugging_face_route_rejects_it_with_invalid_data(string what, string template) => Rejected(what, Expand(template, Hf));

    [Fact]
    public void An_added_token_also_listed_in_the_vocabulary_under_its_id_still_loads()
    {
        // As Hugging Face GPT-2 files do: "<|endoftext|>" is in model.vocab and in added_tokens with the same id.
        var json = Expand("{%PRE%\"added_tokens\":[{\"id\":256,\"content\":\"<|endoftext|>\"}],\"model\":{\"type\":\"BPE\",\"vocab\":{%BYTES%,\"<|endoftext|>\":256},\"merges\":[]}}", ByteLevel);
        var tokenizer = Load(json);
        Assert.IsType<ByteLevelBpeTokenizer>(tokenizer);
        Assert.Equal(257, tokenizer.VocabSize);
        Assert.Equal(256, tokenizer.SpecialTokenId("<|endoftext|>"));
    }

    private static string Expand(string template, string pre) =>
        template.Replace("%PRE%", pre, StringComparison.Ordinal).Replace("%BYTES%", Bytes, StringComparison.Ordinal);

    private static void Rejected(string what, string json)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Load(json));
        Assert.True(ex.Message.Contains("Tokenizer '", StringComparison.Ordinal), $"{what}: the message does not name the file: {ex.Message}");
        TokenizerHarness.Parse(Encoding.UTF8.GetBytes(json)); // and the fuzz harness sees a documented rejection, not a finding
    }

    private static ITextTokenizer Load(string json)
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "tokenizer-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, TokenizerLoader.FileName);
        File.WriteAllText(path, json);
        return TokenizerLoader.Load(path);
    }
}
