using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Tests;

public sealed class TokenizerTests
{
    [Fact]
    public void Trainer_reaches_the_target_size_and_round_trips_any_text()
    {
        var tokenizer = BpeTrainer.Train(Enumerable.Repeat(TinyFixtures.Corpus, 5).SelectMany(x => x), new BpeTrainerOptions { VocabSize = 300 });
        Assert.Equal(300, tokenizer.VocabSize);
        Assert.Equal(300 - 256 - 3, tokenizer.Merges.Count);
        foreach (var text in TinyFixtures.Corpus.Append("unseen ✓ text\u0000 with a NUL and \uD83D\uDE00"))
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        var ids = tokenizer.Encode("<|im_start|>user\nhi<|im_end|>");
        Assert.Equal(tokenizer.SpecialTokenId(ChatFormat.ImStart), ids[0]);
        Assert.Equal(tokenizer.SpecialTokenId(ChatFormat.ImEnd), ids[^1]);
        // Merges shorten the text: fewer tokens than bytes on training text.
        Assert.True(tokenizer.Encode(TinyFixtures.Corpus[0]).Count < System.Text.Encoding.UTF8.GetByteCount(TinyFixtures.Corpus[0]) * 0.8);
    }

    [Fact]
    public void Save_load_keeps_ids_and_hf_loader_agrees()
    {
        var tokenizer = TinyFixtures.Tokenizer;
        var path = Path.Combine(TinyFixtures.TempDir(), "tokenizer.json");
        tokenizer.Save(path);
        var loaded = ByteLevelBpeTokenizer.Load(path);
        var viaMlTokenizers = HfTokenizer.Load(path);
        Assert.IsType<ByteLevelBpeTokenizer>(TokenizerLoader.Load(path));
        foreach (var text in TinyFixtures.Corpus.Append("<|im_start|>assistant\nok<|im_end|>"))
        {
            var expected = tokenizer.Encode(text);
            Assert.Equal(expected, loaded.Encode(text));
            Assert.Equal(expected, viaMlTokenizers.Encode(text));
            Assert.Equal(text, viaMlTokenizers.Decode(expected));
        }
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new BpeTrainerOptions { VocabSize = 100 }.Validate());
        Assert.Throws<ArgumentException>(() => new BpeTrainerOptions { SpecialTokens = ["<a>", "<a>"] }.Validate());
    }
}
