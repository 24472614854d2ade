using AgentKit.Abstractions.Models;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Generation;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using Microsoft.Extensions.AI;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests;

public sealed class GeneratorTests
{
    [Fact]
    public async Task Torchsharp_generator_samples_n_reproducible_candidates_from_a_checkpoint()
    {
        var dir = TinyFixtures.TempDir();
        var tokenizer = TinyFixtures.Tokenizer;
        using (var model = new LlamaForCausalLM(TinyFixtures.Config(vocab: tokenizer.VocabSize), seed: 5))
            CheckpointIO.Save(model, dir);
        tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        using var generator = TorchSharpGenerator.Open(dir);
        var request = new CandidateRequest { Prompt = "The quick", N = 4, Temperature = 1.0f, TopP = 0.9f, Seed = 42, MaxTokens = 10 };
        var first = await generator.GenerateAsync(request);
        var second = await generator.GenerateAsync(request);
        Assert.Equal(4, first.Candidates.Count);
        Assert.Equal(first.Candidates.Select(c => c.Text), second.Candidates.Select(c => c.Text));
        Assert.True(first.Candidates.Select(c => c.Text).Distinct().Count() > 1, "random model at temperature 1 should give different candidates");
        Assert.All(first.Candidates, c => Assert.True(c.Tokens <= 10));
        await Assert.ThrowsAsync<NotSupportedException>(() => generator.GenerateAsync(request with { Grammar = "root ::= \"a\"" }));
    }

    [Fact]
    public async Task A_checkpoint_with_its_own_chat_template_is_prompted_in_it()
    {
        var dir = TinyFixtures.TempDir();
        var tokenizer = BpeTrainer.Train(TinyFixtures.Corpus, new BpeTrainerOptions { VocabSize = 300, SpecialTokens = [.. ChatFormat.SpecialTokens, "<|eot_id|>"] });
        using (var model = new LlamaForCausalLM(TinyFixtures.Config(vocab: tokenizer.VocabSize), seed: 5))
            CheckpointIO.Save(model, dir);
        tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        File.WriteAllText(Path.Combine(dir, ChatTemplateFile.Jinja), Tokenization.ChatPromptTests.Llama3Template);
        (string, string)[] turns = [("system", "Write inputs."), ("user", "The quick fox")];
        using var generator = TorchSharpGenerator.Open(dir);

        var result = await generator.GenerateAsync(new CandidateRequest
        {
            Messages = [new ChatMessage(ChatRole.System, "Write inputs."), new ChatMessage(ChatRole.User, "The quick fox")],
            N = 1, Temperature = 0, MaxTokens = 2,
        });

        Assert.Equal(tokenizer.Encode(ChatPrompt.For(dir)(turns)).Count, result.PromptTokens);
        Assert.NotEqual(tokenizer.Encode(ChatPrompt.ChatMl(turns)).Count, result.PromptTokens);
    }

    [Fact]
    public void Kv_cache_generation_equals_full_recompute()
    {
        using var model = new LlamaForCausalLM(TinyFixtures.Config(), seed: 9);
        model.eval();
        var prompt = new[] { 5, 17, 200, 3, 99 };
        var generated = TokenSampler.Generate(model, prompt, new SamplingOptions { Temperature = 0, MaxNewTokens = 6 }, 1)[0];
        var sequence = prompt.ToList();
        using var _ = no_grad();
        foreach (var expected in generated)
        {
            using var logits = model.Logits(tensor(sequence.Select(t => (long)t).ToArray()).unsqueeze(0));
            var next = (int)logits[0, -1].argmax().item<long>();
            Assert.Equal(expected, next);
            sequence.Add(next);
        }
    }

    [Fact]
    public void Top_p_keeps_only_the_nucleus()
    {
        using var logits = tensor(new float[] { 10f, 9.9f, -10f, -10f }).unsqueeze(0).expand(64, -1).contiguous();
        using var generator = new Generator(3);
        var picks = TokenSampler.Sample(logits, 1f, 0.5f, generator).data<long>().ToArray();
        Assert.All(picks, p => Assert.Equal(0, p));
        var wide = TokenSampler.Sample(logits, 1f, 1f, generator).data<long>().ToArray();
        Assert.Contains(1L, wide);
    }
}
