using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Tests.Tokenization;

public sealed class ChatPromptTests
{
    private static readonly (string Role, string Content)[] Turns = [("system", "Write inputs."), ("user", "Open the lock.")];

    private static string Checkpoint(string? jinja = null, string? tokenizerConfig = null)
    {
        var dir = TinyFixtures.TempDir();
        Directory.CreateDirectory(dir);
        if (jinja is not null)
            File.WriteAllText(Path.Combine(dir, ChatTemplateFile.Jinja), jinja);
        if (tokenizerConfig is not null)
            File.WriteAllText(Path.Combine(dir, ChatTemplateFile.TokenizerConfig), tokenizerConfig);
        return dir;
    }

    [Fact]
    public void A_checkpoint_without_a_template_or_with_chatml_gets_chatml_with_its_system_turn()
    {
        var expected = "<|im_start|>system\nWrite inputs.<|im_end|>\n<|im_start|>user\nOpen the lock.<|im_end|>\n<|im_start|>assistant\n";

        Assert.Equal(expected, ChatPrompt.For(Checkpoint())(Turns));
        var config = new System.Text.Json.Nodes.JsonObject { ["chat_template"] = ChatFormat.JinjaTemplate }.ToJsonString();
        Assert.Equal(expected, ChatPrompt.For(Checkpoint(tokenizerConfig: config))(Turns));
    }

    [Fact]
    public void Another_template_llama_cpp_knows_renders_the_turns_in_that_format()
    {
        var warnings = new List<string>();

        var prompt = ChatPrompt.For(Checkpoint(jinja: Llama3Template), warnings.Add)(Turns);

        Assert.Empty(warnings);
        Assert.Contains("<|start_header_id|>system<|end_header_id|>\n\nWrite inputs.<|eot_id|>", prompt, StringComparison.Ordinal);
        Assert.Contains("<|start_header_id|>user<|end_header_id|>\n\nOpen the lock.<|eot_id|>", prompt, StringComparison.Ordinal);
        Assert.EndsWith("<|start_header_id|>assistant<|end_header_id|>\n\n", prompt, StringComparison.Ordinal);
    }

    internal const string Llama3Template =
        "{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}"
        + "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

    [Fact]
    public void A_template_ends_the_turn_with_its_own_marker_which_stops_the_policy_when_the_tokenizer_has_it()
    {
        var llama3 = Checkpoint(jinja: Llama3Template);
        var withEot = BpeTrainer.Train(TinyFixtures.Corpus, new BpeTrainerOptions { VocabSize = 300, SpecialTokens = [.. ChatFormat.SpecialTokens, "<|eot_id|>"] });

        Assert.Equal("<|eot_id|>", ChatPrompt.EndOfTurn(llama3));
        // Gemma's turn ends "<end_of_turn>\n": the marker, without what follows it.
        const string Gemma = "{% for message in messages %}{{ '<start_of_turn>' + message['role'] + '\\n' + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}";
        Assert.Equal("<end_of_turn>", ChatPrompt.EndOfTurn(Checkpoint(jinja: Gemma)));
        var stops = ChatPrompt.StopTokenIds(llama3, withEot);
        Assert.Contains(withEot.SpecialTokenId("<|eot_id|>")!.Value, stops);
        Assert.Contains(withEot.SpecialTokenId(ChatFormat.ImEnd)!.Value, stops);
        // ChatML checkpoints and templates llama.cpp does not know: <|im_end|> is the marker, nothing is added.
        Assert.Null(ChatPrompt.EndOfTurn(Checkpoint()));
        Assert.Null(ChatPrompt.EndOfTurn(Checkpoint(jinja: "{{ messages | tojson }}")));
        Assert.Equal(ChatPrompt.StopTokenIds(Checkpoint(), withEot), ChatPrompt.StopTokenIds(Checkpoint(jinja: "{{ messages | tojson }}"), withEot));
        Assert.DoesNotContain(withEot.SpecialTokenId("<|eot_id|>")!.Value, ChatPrompt.StopTokenIds(Checkpoint(), withEot));
        // A tokenizer without the marker stops where it can.
        Assert.Equal(ChatPrompt.StopTokenIds(Checkpoint(), TinyFixtures.Tokenizer), ChatPrompt.StopTokenIds(llama3, TinyFixtures.Tokenizer));
    }

    [Fact]
    public void A_template_llama_cpp_does_not_know_falls_back_to_chatml_with_a_warning()
    {
        var warnings = new List<string>();

        var prompt = ChatPrompt.For(Checkpoint(jinja: "{{ messages | tojson }}"), warnings.Add)(Turns);

        Assert.Equal(ChatPrompt.ChatMl(Turns), prompt);
        Assert.Contains("prompts are rendered as ChatML", Assert.Single(warnings), StringComparison.Ordinal);
    }
}
