using System.Text.RegularExpressions;
using AgentKit.Abstractions.Models;
using AgentKit.Models.LlamaSharp;
using AgentKit.TestUtils;
using Microsoft.Extensions.AI;

namespace AgentKit.Models.Tests.LlamaSharp;

/// <summary>One tiny model loaded once for all generator tests (loading is cheap, but not free).</summary>
public sealed class TinyGeneratorFixture : IDisposable
{
    public LlamaSharpGenerator Generator { get; } = new(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), Threads = 2, ContextSize = 512 });

    public void Dispose() => Generator.Dispose();
}

public sealed class LlamaSharpGeneratorTests(TinyGeneratorFixture fixture) : IClassFixture<TinyGeneratorFixture>
{
    private LlamaSharpGenerator Generator => fixture.Generator;

    [Fact]
    public void Tokenizer_round_trips_text_through_llama_cpp()
    {
        const string text = "Hello, the world! ünïcödé 123\n\tend";
        var tokens = Generator.Tokenize(text);
        Assert.True(tokens.Count < System.Text.Encoding.UTF8.GetByteCount(text), "merges should make some tokens longer than a byte");
        Assert.Equal(text, Generator.Detokenize(tokens));
    }

    [Fact]
    public void Special_tokens_are_parsed_as_single_tokens()
    {
        var tokens = Generator.Tokenize("<|im_start|>user");
        Assert.Equal(Models.Gguf.ByteLevelVocabulary.Default.ImStartId, tokens[0]);
    }

    [Fact]
    public async Task Grammar_constrained_candidates_all_match_the_grammar()
    {
        const string grammar = """
            root ::= "answer: " digit digit? " " word
            digit ::= [0-9]
            word ::= "yes" | "no" | "maybe"
            """;
        var valid = new Regex(@"^answer: [0-9][0-9]? (yes|no|maybe)$");

        var result = await Generator.GenerateAsync(new CandidateRequest { Prompt = "Q: is it? A:", N = 8, Grammar = grammar, Seed = 7, MaxTokens = 40, Temperature = 1.0f });

        Assert.Equal(8, result.Candidates.Count);
        foreach (var candidate in result.Candidates)
        {
            Assert.Matches(valid, candidate.Text);
            Assert.Equal(FinishReasons.Stop, candidate.FinishReason);
            Assert.True(candidate.Tokens > 0);
        }
        Assert.True(result.PromptTokens > 0);
    }

    [Fact]
    public async Task Same_seed_gives_same_candidates_and_different_seed_differs()
    {
        var request = new CandidateRequest { Prompt = "Once upon a time", N = 4, Seed = 42, MaxTokens = 16, Temperature = 1.0f };
        var first = await Generator.GenerateAsync(request);
        var second = await Generator.GenerateAsync(request);
        var other = await Generator.GenerateAsync(request with { Seed = 43 });

        Assert.Equal(first.Candidates.Select(c => c.Text), second.Candidates.Select(c => c.Text));
        Assert.NotEqual(first.Candidates.Select(c => c.Text), other.Candidates.Select(c => c.Text));
        // Candidates within one request use seed + i, so they differ from each other too.
        Assert.True(first.Candidates.Select(c => c.Text).Distinct().Count() > 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Either_attention_path_keeps_the_grammar_and_the_seed(bool flashAttention)
    {
        using var generator = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), Threads = 2, ContextSize = 512, FlashAttention = flashAttention });
        const string grammar = """root ::= "Thought: " [a-z ]{1,12} "\n```csharp\n" [a-z0-9 ();=*]{1,20} "\n```" """;
        var valid = new Regex("^Thought: [a-z ]{1,12}\n```csharp\n[a-z0-9 ();=*]{1,20}\n```$");
        var request = new CandidateRequest { Prompt = "<|im_start|>user\nWhat is 17 * 23?<|im_end|>\n", N = 8, Grammar = grammar, Seed = 21, MaxTokens = 80, Temperature = 1.0f };

        var first = await generator.GenerateAsync(request);
        var second = await generator.GenerateAsync(request);

        Assert.All(first.Candidates, c => Assert.Matches(valid, c.Text));
        Assert.Equal(first.Candidates.Select(c => c.Text), second.Candidates.Select(c => c.Text));
        Assert.True(first.Candidates.Select(c => c.Text).Distinct().Count() > 1);
    }

    [Fact]
    public async Task Logprobs_are_the_models_own_and_cover_every_token()
    {
        // Greedy decoding takes the most likely token, so it must be the first alternative, with the same log probability.
        var greedy = await Generator.GenerateAsync(new CandidateRequest { Prompt = "The", N = 2, Temperature = 0, MaxTokens = 8, TopLogprobs = 3, Seed = 1 });
        foreach (var candidate in greedy.Candidates)
        {
            Assert.Equal(candidate.Tokens, candidate.Logprobs!.Count);
            foreach (var token in candidate.Logprobs)
            {
                Assert.Equal(3, token.TopLogprobs.Count);
                Assert.Equal(token.Token, token.TopLogprobs[0].Token);
                Assert.Equal(token.Logprob, token.TopLogprobs[0].Logprob, 6);
                Assert.True(token.TopLogprobs.Zip(token.TopLogprobs.Skip(1)).All(p => p.First.Logprob >= p.Second.Logprob));
            }
        }

        // Sampled under a grammar and cut by a stop sequence: one logprob per generated token, all below zero.
        var sampled = await Generator.GenerateAsync(new CandidateRequest
        {
            Prompt = "x", N = 4, Grammar = """root ::= [a-c]{2,4} "STOP" [a-z]+ """, Stop = ["STOP"], Seed = 9, MaxTokens = 20, TopLogprobs = 0, Temperature = 1.0f,
        });
        Assert.All(sampled.Candidates, c =>
        {
            Assert.Matches("^[a-c]{2,4}$", c.Text);
            Assert.Equal(c.Tokens, c.Logprobs!.Count);
            Assert.All(c.Logprobs, t => Assert.True(t.Logprob < 0 && t.TopLogprobs.Count == 0));
        });
        Assert.Null((await Generator.GenerateAsync(new CandidateRequest { Prompt = "x", N = 1, MaxTokens = 3, Seed = 1 })).Candidates[0].Logprobs);
    }

    [Fact]
    public async Task Temperature_zero_is_greedy_whatever_the_seed()
    {
        var request = new CandidateRequest { Prompt = "The", N = 3, Temperature = 0, MaxTokens = 12 };
        var a = await Generator.GenerateAsync(request with { Seed = 1 });
        var b = await Generator.GenerateAsync(request with { Seed = 999 });
        Assert.Single(a.Candidates.Select(c => c.Text).Distinct());
        Assert.Equal(a.Candidates[0].Text, b.Candidates[0].Text);
    }

    [Fact]
    public async Task Stop_sequences_end_candidates_and_are_not_included()
    {
        // The grammar makes the stop sequence certain to appear: "ab" then "STOP" then more text.
        const string grammar = """root ::= "ab" [a-c]? "STOP" [a-z]+ """;
        var result = await Generator.GenerateAsync(new CandidateRequest { Prompt = "x", N = 4, Grammar = grammar, Stop = ["STOP"], Seed = 3, MaxTokens = 30 });
        foreach (var candidate in result.Candidates)
        {
            Assert.Matches("^ab[a-c]?$", candidate.Text);
            Assert.Equal(FinishReasons.Stop, candidate.FinishReason);
        }
    }

    [Fact]
    public async Task Max_tokens_ends_candidates_with_length()
    {
        var result = await Generator.GenerateAsync(new CandidateRequest { Prompt = "x", N = 2, Grammar = "root ::= [a-z]+", Seed = 5, MaxTokens = 6 });
        Assert.All(result.Candidates, c =>
        {
            Assert.Equal(6, c.Tokens);
            Assert.Equal(FinishReasons.Length, c.FinishReason);
            Assert.Matches("^[a-z]+$", c.Text);
        });
        Assert.True(result.TokensPerSecond > 0);
    }

    [Fact]
    public async Task Streaming_deltas_add_up_to_the_generated_candidates()
    {
        var request = new CandidateRequest { Prompt = "stream", N = 3, Seed = 11, MaxTokens = 10, Grammar = """root ::= [a-z ]+ "!" """ };
        var texts = new string[3];
        var finishes = new string?[3];
        await foreach (var delta in Generator.StreamAsync(request))
        {
            Assert.Null(finishes[delta.Index]); // nothing after the final delta
            texts[delta.Index] += delta.Text;
            finishes[delta.Index] = delta.FinishReason;
        }
        var whole = await Generator.GenerateAsync(request);
        Assert.Equal(whole.Candidates.Select(c => c.Text), texts);
        Assert.Equal(whole.Candidates.Select(c => c.FinishReason), finishes);
    }

    [Fact]
    public async Task Messages_are_rendered_with_the_gguf_chat_template()
    {
        var request = new CandidateRequest { Messages = [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "Hi")] };
        Assert.True(Generator.HasChatTemplate);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", Generator.RenderPrompt(request));
        var result = await Generator.GenerateAsync(request with { MaxTokens = 4, Seed = 1 });
        Assert.Single(result.Candidates);
    }

    [Fact]
    public void Without_a_template_messages_fall_back_to_chatml()
    {
        using var plain = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaWithoutTemplatePath(), Threads = 1, ContextSize = 128 });
        Assert.False(plain.HasChatTemplate);
        var prompt = plain.RenderPrompt(new CandidateRequest { Messages = [new ChatMessage(ChatRole.User, "Hi")] });
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", prompt);
    }

    [Fact]
    public async Task Concurrent_calls_are_serialised_and_all_complete()
    {
        var request = new CandidateRequest { Prompt = "concurrent", N = 2, Seed = 9, MaxTokens = 8, Grammar = "root ::= [a-z]+" };
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Generator.GenerateAsync(request))));
        Assert.All(results, r => Assert.Equal(results[0].Candidates.Select(c => c.Text), r.Candidates.Select(c => c.Text)));
    }

    [Fact]
    public async Task A_malformed_grammar_is_an_argument_error_not_a_crash()
    {
        var ex = await Assert.ThrowsAnyAsync<ArgumentException>(() =>
            Generator.GenerateAsync(new CandidateRequest { Prompt = "x", Grammar = "root ::= (unclosed", MaxTokens = 4 }));
        Assert.Contains("grammar", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_is_rejected_with_a_message()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() =>
            Generator.GenerateAsync(new CandidateRequest { Prompt = new string('x', 2000), MaxTokens = 4 }));
        Assert.Contains("context", ex.Message);
    }

    [Fact]
    public async Task A_json_grammar_runs_and_constrains_the_start_of_every_candidate()
    {
        const string json = """
            root   ::= object
            value  ::= object | array | string | number | ("true" | "false" | "null") ws
            object ::= "{" ws ( string ":" ws value ("," ws string ":" ws value)* )? "}" ws
            array  ::= "[" ws ( value ("," ws value)* )? "]" ws
            string ::= "\"" ( [^"\\\x7F\x00-\x1F] | "\\" (["\\bfnrt] | "u" [0-9a-fA-F]{4}) )* "\"" ws
            number ::= ("-"? ([0-9] | [1-9] [0-9]{0,15})) ("." [0-9]+)? ([eE] [-+]? [0-9] [1-9]{0,15})? ws
            ws ::= | " " | "\n" [ \t]{0,20}
            """;
        var result = await Generator.GenerateAsync(new CandidateRequest { Prompt = "{", N = 3, Grammar = json, Seed = 2, MaxTokens = 24 });
        Assert.All(result.Candidates, c => Assert.StartsWith("{", c.Text));
        foreach (var done in result.Candidates.Where(c => c.FinishReason == FinishReasons.Stop))
            System.Text.Json.JsonDocument.Parse(done.Text).Dispose();
    }

    [Fact]
    public async Task IgnoreEndOfGeneration_makes_every_candidate_run_to_max_tokens()
    {
        using var forced = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), Threads = 2, ContextSize = 256, IgnoreEndOfGeneration = true });
        // A prompt that ends a ChatML turn makes <|im_end|> likely; it must still never end a candidate.
        var result = await forced.GenerateAsync(new CandidateRequest { Prompt = "<|im_end|><|im_end|>", N = 6, MaxTokens = 40, Seed = 8, Temperature = 1.5f });
        Assert.All(result.Candidates, c => Assert.Equal((40, FinishReasons.Length), (c.Tokens, c.FinishReason)));
        await Assert.ThrowsAsync<ArgumentException>(() => forced.GenerateAsync(new CandidateRequest { Prompt = "x", Grammar = "root ::= \"a\"" }));
    }

    [Fact]
    public async Task Chat_client_answers_and_reports_metadata()
    {
        using var client = Generator.AsChatClient();
        var metadata = client.GetService<ChatClientMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal("llamasharp", metadata.ProviderName);
        Assert.Same(Generator, client.GetService<LlamaSharpGenerator>());

        var options = new ChatOptions { Seed = 4, MaxOutputTokens = 5, Temperature = 0.5f, AdditionalProperties = new() { ["grammar"] = "root ::= \"ok\"" } };
        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Say ok")], options);
        Assert.Equal("ok", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.True(response.Usage!.InputTokenCount > 0);

        var streamed = "";
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Say ok")], options))
            streamed += update.Text;
        Assert.Equal("ok", streamed);
    }
}
