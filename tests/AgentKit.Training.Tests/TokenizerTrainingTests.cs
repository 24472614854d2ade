using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Tests;

/// <summary>The library behind <c>agentkit train tokenizer</c>: text files are documents, messages JSONL is rendered in ChatML.</summary>
public sealed class TokenizerTrainingTests
{
    [Fact]
    public void Text_and_messages_files_train_one_tokenizer_that_is_saved_and_reported()
    {
        var dir = TinyFixtures.TempDir();
        var text = Path.Combine(dir, "corpus.txt");
        File.WriteAllText(text, string.Join("\n", Enumerable.Repeat(TinyFixtures.Corpus, 5).SelectMany(x => x)));
        var messages = Path.Combine(dir, "sft.jsonl");
        File.WriteAllText(messages, """{"messages":[{"role":"user","content":"hello there"},{"role":"assistant","content":"general kenobi"}]}""" + "\n");
        var output = Path.Combine(dir, "nested", "tokenizer.json");

        var report = TokenizerTraining.Train([text, messages], new BpeTrainerOptions { VocabSize = 300 }, output);

        Assert.Equal((output, 300, 300 - 256 - 3), (report.Output, report.VocabSize, report.Merges));
        Assert.Equal(ChatFormat.SpecialTokens.Order(), report.SpecialTokens.Order());
        var chatml = ChatFormat.Render([("user", "hello there"), ("assistant", "general kenobi")], addGenerationPrompt: false);
        Assert.Equal(File.ReadAllText(text).Length + chatml.Length, report.InputCharacters); // the whole text file is one document
        Assert.Equal(300, ByteLevelBpeTokenizer.Load(output).VocabSize);
    }

    [Fact]
    public void A_missing_input_file_is_named()
    {
        var missing = Path.Combine(TinyFixtures.TempDir(), "none.txt");

        var error = Assert.Throws<FileNotFoundException>(() => TokenizerTraining.Train([missing], new BpeTrainerOptions { VocabSize = 300 }, "t.json"));

        Assert.Contains(missing, error.Message);
    }
}
