using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Tests;

/// <summary>Tiny models and corpora the tests build for themselves.</summary>
internal static class TinyFixtures
{
    public static readonly string[] Corpus =
    [
        "The quick brown fox jumps over the lazy dog. The dog sleeps.",
        "def add(a, b):\n    return a + b\n\nprint(add(2, 3))",
        "Grüße aus Köln! Ça va? 東京は晴れです。 Привет, мир!",
        "Question: what is 12 + 30? Answer: 42.",
        "  indented   text\twith\ttabs\n\n\nand newlines  ",
        "It's, they're, we've, I'm, you'll, he'd — contractions' edge cases.",
        "var x = new List<int> { 1, 2, 3 }; // C# code with symbols {}[]()<>",
        "emoji 😀🎉 and math 𝐀𝐁 and numbers 3.14159 12345678",
    ];

    private static ByteLevelBpeTokenizer? _tokenizer;

    public static ByteLevelBpeTokenizer Tokenizer =>
        _tokenizer ??= BpeTrainer.Train(Enumerable.Repeat(Corpus, 3).SelectMany(x => x), new BpeTrainerOptions { VocabSize = 400 });

    public static LlamaConfig Config(string modelType = "llama", bool tied = true, int vocab = 400) => new()
    {
        ModelType = modelType,
        VocabSize = vocab,
        HiddenSize = 64,
        IntermediateSize = 128,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        MaxPositionEmbeddings = 256,
        TieWordEmbeddings = tied,
        RopeTheta = 10000,
        RmsNormEps = 1e-5,
    };

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-training-tests", Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
