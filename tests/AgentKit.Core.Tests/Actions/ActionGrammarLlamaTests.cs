using AgentKit.Abstractions.Models;
using AgentKit.Core.Actions;
using AgentKit.Models.LlamaSharp;
using AgentKit.TestUtils;
using Microsoft.Extensions.AI;

namespace AgentKit.Core.Tests.Actions;

/// <summary>The action grammar with a real llama.cpp sampler: a random model writes noise, but always in the action format.</summary>
public class ActionGrammarLlamaTests
{
    [Fact]
    public async Task Every_candidate_of_a_random_model_parses_under_the_grammar()
    {
        using var generator = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), ContextSize = 512, Threads = 2 });
        var request = new CandidateRequest
        {
            Messages = [new ChatMessage(ChatRole.System, "Answer in the action format."), new ChatMessage(ChatRole.User, "Task: 2+2?")],
            N = 4,
            Temperature = 1.0f,
            Seed = 3,
            MaxTokens = 200, // the grammar bounds the action at 9 + 20 + 12 + 60 + 4 characters, each token at least one
            Grammar = ActionGrammar.Build(maxThoughtChars: 20, maxCodeChars: 60),
        };

        var result = await generator.GenerateAsync(request);

        Assert.Equal(4, result.Candidates.Count);
        Assert.All(result.Candidates, c =>
        {
            Assert.Equal(FinishReasons.Stop, c.FinishReason);
            Assert.StartsWith("Thought: ", c.Text);
            Assert.EndsWith("\n```", c.Text);
            var parsed = ActionParser.Parse(c.Text);
            Assert.True(parsed.Succeeded, $"{parsed.Error}\n{c.Text}");
        });
    }

    [Fact]
    public async Task A_forced_prefix_appears_verbatim_at_the_start()
    {
        using var generator = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), ContextSize = 512, Threads = 2 });
        var request = new CandidateRequest
        {
            Messages = [new ChatMessage(ChatRole.User, "Task: capital of Peru?")],
            N = 2,
            Seed = 5,
            MaxTokens = 200,
            Grammar = ActionGrammar.Build(10, 30, "Lima is the \"capital\"."),
        };
        var result = await generator.GenerateAsync(request);
        Assert.All(result.Candidates, c =>
        {
            Assert.StartsWith("Thought: Lima is the \"capital\".", c.Text);
            Assert.True(ActionParser.Parse(c.Text).Succeeded, c.Text);
        });
    }

    [Fact]
    public async Task Any_model_text_but_nul_as_a_prefix_makes_a_grammar_llama_cpp_accepts()
    {
        // A random model's first thought: control characters, accents, an emoji and a lone surrogate.
        const string prefix = "c\u0001d\u007f é ü 日本 \U0001F600 \uD800 end";
        var literal = ActionGrammar.Literal(prefix);
        Assert.All(literal, c => Assert.InRange(c, ' ', '~'));
        // No token holds a NUL, and llama.cpp aborts the process on one in a grammar: refused before it gets there.
        Assert.Contains("NUL", Assert.Throws<ArgumentException>(() => ActionGrammar.Literal("a\0b")).Message);

        using var generator = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), ContextSize = 512, Threads = 2 });
        var result = await generator.GenerateAsync(new CandidateRequest
        {
            Messages = [new ChatMessage(ChatRole.User, "Task: x")],
            Seed = 5,
            MaxTokens = 200,
            Grammar = ActionGrammar.Build(10, 30, prefix),
        });

        Assert.StartsWith("Thought: c\u0001d\u007f é ü 日本 \U0001F600 \uFFFD end", result.Candidates[0].Text);
    }
}
