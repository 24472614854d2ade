using System.Net;
using AgentKit.Abstractions.Models;
using AgentKit.Models.LlamaSharp;
using AgentKit.Models.OpenAICompatible;
using AgentKit.Server.Tests.Fakes;
using AgentKit.TestUtils;
using Microsoft.Extensions.AI;

namespace AgentKit.Server.Tests;

/// <summary>One server over a real <see cref="LlamaSharpGenerator"/> on a tiny random GGUF, shared by the tests of this class.</summary>
public sealed class TinyModelServerFixture : IAsyncLifetime
{
    public const string ModelName = "tiny-random";

    public LlamaSharpGenerator Local { get; private set; } = null!;

    public OpenAICompatibleServer Server { get; private set; } = null!;

    public Uri Url { get; private set; } = null!;

    public OpenAICompatibleGenerator Remote { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Local = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), ContextSize = 256, Threads = 2 });
        Server = new OpenAICompatibleServer(Local, new ServerOptions { Port = 0, ModelName = ModelName });
        Url = await Server.StartAsync();
        Remote = new OpenAICompatibleGenerator(new OpenAICompatibleOptions { Endpoint = Url, Model = ModelName });
    }

    public async Task DisposeAsync()
    {
        Remote.Dispose();
        await Server.DisposeAsync();
        Local.Dispose();
    }
}

/// <summary>
/// <c>serve</c> in-process on a free loopback port over a real local model, with the OpenAI-compatible
/// backend as its client.
/// </summary>
public sealed class OpenAICompatibleServerTests(TinyModelServerFixture fixture) : IClassFixture<TinyModelServerFixture>
{
    private static CandidateRequest Request(int n, int seed, float temperature = 0.9f, int maxTokens = 12) => new()
    {
        Messages = [new ChatMessage(ChatRole.System, "You are terse."), new ChatMessage(ChatRole.User, "Name a colour.")],
        N = n,
        Seed = seed,
        Temperature = temperature,
        MaxTokens = maxTokens,
    };

    private static async Task<List<CandidateDelta>> CollectAsync(IAsyncEnumerable<CandidateDelta> stream)
    {
        var deltas = new List<CandidateDelta>();
        await foreach (var delta in stream)
            deltas.Add(delta);
        return deltas;
    }

    [Fact]
    public async Task NCandidatesComeBackAsNChoicesEqualToInProcessGeneration()
    {
        var request = Request(n: 3, seed: 11);

        var remote = await fixture.Remote.GenerateAsync(request);
        var local = await fixture.Local.GenerateAsync(request);

        Assert.Equal(3, remote.Candidates.Count);
        Assert.Equal(local.Candidates.Select(c => c.Text), remote.Candidates.Select(c => c.Text));
        Assert.Equal(local.Candidates.Select(c => c.FinishReason), remote.Candidates.Select(c => c.FinishReason));
        Assert.Equal(local.PromptTokens, remote.PromptTokens);
        Assert.Equal(local.Candidates.Sum(c => c.Tokens), remote.Candidates.Sum(c => c.Tokens));
        Assert.True(remote.Candidates.Select(c => c.Text).Distinct().Count() > 1, "different seeds per candidate should give different texts");
    }

    [Fact]
    public async Task RawHttpResponseHasNChoicesAndUsage()
    {
        var (status, body) = await Http.PostAsync(fixture.Url, "/chat/completions",
            """{"model":"tiny-random","messages":[{"role":"user","content":"hi"}],"n":4,"seed":3,"max_tokens":5}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(TinyModelServerFixture.ModelName, body.GetProperty("model").GetString());
        var choices = body.GetProperty("choices");
        Assert.Equal(4, choices.GetArrayLength());
        Assert.Equal([0, 1, 2, 3], choices.EnumerateArray().Select(c => c.GetProperty("index").GetInt32()));
        var usage = body.GetProperty("usage");
        Assert.True(usage.GetProperty("prompt_tokens").GetInt32() > 0);
        Assert.InRange(usage.GetProperty("completion_tokens").GetInt32(), 4, 20);
    }

    [Fact]
    public async Task StreamingYieldsTheSameTextAsNonStreamingForTheSameSeed()
    {
        var request = Request(n: 2, seed: 5);

        var whole = await fixture.Remote.GenerateAsync(request);
        var deltas = await CollectAsync(fixture.Remote.StreamAsync(request));

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(whole.Candidates[i].Text, string.Concat(deltas.Where(d => d.Index == i).Select(d => d.Text)));
            Assert.Equal(whole.Candidates[i].FinishReason, deltas.Last(d => d.Index == i).FinishReason);
        }

        Assert.True(deltas.Count > 4, $"expected token-by-token deltas, got {deltas.Count}");
    }

    [Fact]
    public async Task GrammarFieldConstrainsTheModel()
    {
        var request = Request(n: 4, seed: 2, temperature: 1.5f) with { Grammar = "root ::= (\"yes\" | \"no\")" };

        var result = await fixture.Remote.GenerateAsync(request);

        Assert.All(result.Candidates, c => Assert.Contains(c.Text, new[] { "yes", "no" }));
    }

    [Fact]
    public async Task ModelsListsTheServedModel()
    {
        var (status, body) = await Http.GetAsync(fixture.Url, "/models");

        Assert.Equal(HttpStatusCode.OK, status);
        var model = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal(TinyModelServerFixture.ModelName, model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
    }

    [Fact]
    public async Task MalformedJsonIs400WithTheErrorBodyAndTheNextRequestSucceeds()
    {
        var (status, body) = await Http.PostAsync(fixture.Url, "/chat/completions", """{"messages": [ {"role": "user", "content": "hi"} """);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Http.AssertError(body, "invalid_request_error", null);
        var next = await fixture.Remote.GenerateAsync(Request(n: 1, seed: 1, maxTokens: 4));
        Assert.Single(next.Candidates);
    }

    [Theory]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"n":0}""", "n")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"n":65}""", "n")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"temperature":-1}""", "temperature")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":"many"}""", "max_tokens")]
    [InlineData("""{"messages":[]}""", "messages")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"stop":5}""", "stop")]
    public async Task BadParametersAre400NamingTheParameter(string json, string param)
    {
        var (status, body) = await Http.PostAsync(fixture.Url, "/chat/completions", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Http.AssertError(body, "invalid_request_error", param);
    }

    [Fact]
    public async Task BadGrammarIs400FromTheBackendAndTheServerKeepsServing()
    {
        var (status, body) = await Http.PostAsync(fixture.Url, "/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}],"grammar":"root ::= (((","max_tokens":4}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("grammar", Http.AssertError(body, "invalid_request_error", null).GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Single((await fixture.Remote.GenerateAsync(Request(n: 1, seed: 1, maxTokens: 4))).Candidates);
    }
}
