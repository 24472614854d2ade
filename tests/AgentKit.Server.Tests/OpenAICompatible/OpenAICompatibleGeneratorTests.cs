using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AgentKit.Abstractions.Models;
using AgentKit.Models.OpenAICompatible;
using AgentKit.Server.Tests.Fakes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;

namespace AgentKit.Server.Tests.OpenAICompatible;

/// <summary>The OpenAI-compatible backend against real HTTP servers: ours, and scripted ones that misbehave.</summary>
public sealed class OpenAICompatibleGeneratorTests
{
    private static OpenAICompatibleGenerator Client(Uri url, TimeSpan? timeout = null) =>
        new(new OpenAICompatibleOptions { Endpoint = url, Model = "m", Timeout = timeout ?? TimeSpan.FromSeconds(60) });

    private static async Task<List<CandidateDelta>> CollectAsync(IAsyncEnumerable<CandidateDelta> stream)
    {
        var deltas = new List<CandidateDelta>();
        await foreach (var delta in stream)
            deltas.Add(delta);
        return deltas;
    }

    private static string TextOf(IEnumerable<CandidateDelta> deltas, int index) =>
        string.Concat(deltas.Where(d => d.Index == index).Select(d => d.Text));

    [Fact]
    public async Task ForwardsEveryParameterAndGetsNChoicesInOneRequest()
    {
        var generator = new ScriptedGenerator();
        await using var server = new OpenAICompatibleServer(generator, new ServerOptions { Port = 0 });
        using var client = Client(await server.StartAsync());

        var result = await client.GenerateAsync(new CandidateRequest
        {
            Prompt = "2+2?", N = 3, Temperature = 0.3f, TopP = 0.8f, Seed = 9, MaxTokens = 17, Stop = ["\n\n"], Grammar = "root ::= [0-9]+",
        });

        Assert.Equal([ScriptedGenerator.Reply(0, 9, "2+2?"), ScriptedGenerator.Reply(1, 9, "2+2?"), ScriptedGenerator.Reply(2, 9, "2+2?")],
            result.Candidates.Select(c => c.Text));
        Assert.Equal(7, result.PromptTokens);
        Assert.Equal(15, result.Candidates.Sum(c => c.Tokens));
        var seen = Assert.Single(generator.Requests);
        Assert.Equal("user", Assert.Single(seen.Messages!).Role.Value); // a raw prompt travels as one user message
        Assert.Equal((3, 0.3f, 0.8f, 9, 17, "root ::= [0-9]+"), (seen.N, seen.Temperature, seen.TopP, seen.Seed!.Value, seen.MaxTokens, seen.Grammar!));
        Assert.Equal(["\n\n"], seen.Stop);
    }

    [Fact]
    public async Task StreamingGivesTheSameTextsAsGenerate()
    {
        await using var server = new OpenAICompatibleServer(new ScriptedGenerator(), new ServerOptions { Port = 0 });
        using var client = Client(await server.StartAsync());
        var request = new CandidateRequest { Messages = [new ChatMessage(ChatRole.User, "stream me")], N = 2, Seed = 4 };

        var whole = await client.GenerateAsync(request);
        var deltas = await CollectAsync(client.StreamAsync(request));

        Assert.True(deltas.Count > 4, "expected several deltas per candidate");
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(whole.Candidates[i].Text, TextOf(deltas, i));
            Assert.Equal(FinishReasons.Stop, deltas.Last(d => d.Index == i).FinishReason);
        }
    }

    [Fact]
    public async Task ServerIgnoringNGetsTheRestFromParallelRequestsWithDistinctSeeds()
    {
        await using var server = await ScriptedHttpServer.StartAsync((body, context) =>
            context.Response.WriteAsync(ScriptedHttpServer.OneChoice(body)));
        using var client = Client(server.BaseUrl);

        var result = await client.GenerateAsync(new CandidateRequest { Prompt = "p", N = 4, Seed = 10 });

        Assert.Equal(["seed 10", "seed 11", "seed 12", "seed 13"], result.Candidates.Select(c => c.Text));
        Assert.All(result.Candidates, c => Assert.Equal(2, c.Tokens));
        Assert.Equal(4, server.Requests.Count);
        Assert.Equal(4, server.Requests[0].GetProperty("n").GetInt32());
        Assert.All(server.Requests.Skip(1), r => Assert.Equal(1, r.GetProperty("n").GetInt32()));
    }

    [Fact]
    public async Task ServerRejectingNIsRetriedWithOneAndRemembered()
    {
        await using var server = await ScriptedHttpServer.StartAsync(async (body, context) =>
        {
            if (body.GetProperty("n").GetInt32() > 1)
            {
                context.Response.StatusCode = 400;
                await context.Response.WriteAsync("""{"error":{"code":400,"message":"Only one completion choice is allowed","type":"invalid_request_error"}}""");
                return;
            }

            await context.Response.WriteAsync(ScriptedHttpServer.OneChoice(body));
        });
        using var client = Client(server.BaseUrl);

        var first = await client.GenerateAsync(new CandidateRequest { Prompt = "p", N = 3, Seed = 1 });
        Assert.Equal(["seed 1", "seed 2", "seed 3"], first.Candidates.Select(c => c.Text));
        Assert.Equal(4, server.Requests.Count); // the rejected n=3 request, then three with n=1

        var second = await client.GenerateAsync(new CandidateRequest { Prompt = "p", N = 3, Seed = 1 });
        Assert.Equal(first.Candidates.Select(c => c.Text), second.Candidates.Select(c => c.Text));
        Assert.Equal(7, server.Requests.Count); // no doomed n=3 request the second time
    }

    [Fact]
    public async Task StreamingFromAServerIgnoringNAlsoFallsBack()
    {
        await using var server = await ScriptedHttpServer.StartAsync(async (body, context) =>
        {
            var seed = ScriptedHttpServer.SeedOf(body);
            context.Response.ContentType = "text/event-stream";
            foreach (var (text, finish) in new[] { ("seed ", (string?)null), (seed, null), ("", "length") })
            {
                var chunk = JsonSerializer.Serialize(new { choices = new[] { new { index = 0, delta = new { content = text }, finish_reason = finish } } });
                await context.Response.WriteAsync($"data: {chunk}\n\n");
            }

            await context.Response.WriteAsync("data: [DONE]\n\n");
        });
        using var client = Client(server.BaseUrl);

        var deltas = await CollectAsync(client.StreamAsync(new CandidateRequest { Prompt = "p", N = 3, Seed = 20 }));

        Assert.Equal(["seed 20", "seed 21", "seed 22"], Enumerable.Range(0, 3).Select(i => TextOf(deltas, i)));
        Assert.All(Enumerable.Range(0, 3), i => Assert.Equal(FinishReasons.Length, deltas.Last(d => d.Index == i).FinishReason));
        Assert.All(server.Requests, r => Assert.True(r.GetProperty("stream").GetBoolean()));
    }

    [Fact]
    public async Task ConnectionRefusedSaysTheServerIsNotReachable()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = Client(new Uri($"http://127.0.0.1:{port}/v1"));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GenerateAsync(new CandidateRequest { Prompt = "p" }));

        Assert.Contains("Cannot reach", error.Message);
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.Equal(HttpRequestError.ConnectionError, error.HttpRequestError);
    }

    [Fact]
    public async Task Non2xxCarriesTheServersOwnMessage()
    {
        await using var server = await ScriptedHttpServer.StartAsync(async (_, context) =>
        {
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("""{"error":{"message":"model is still loading","type":"unavailable"}}""");
        });
        using var client = Client(server.BaseUrl);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GenerateAsync(new CandidateRequest { Prompt = "p" }));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("503", error.Message);
        Assert.Contains("model is still loading", error.Message);
    }

    [Theory]
    [InlineData("<html>gateway page</html>", "did not answer with JSON")]
    [InlineData("""{"object":"something else"}""", "no 'choices' array")]
    [InlineData("""{"choices":[{"index":0,"text":"legacy"}]}""", "no 'message' object")]
    public async Task MalformedResponsesAreInvalidDataWithTheReason(string answer, string reason)
    {
        await using var server = await ScriptedHttpServer.StartAsync((_, context) => context.Response.WriteAsync(answer));
        using var client = Client(server.BaseUrl);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => client.GenerateAsync(new CandidateRequest { Prompt = "p" }));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public async Task ErrorEventInsideAStreamIsRaised()
    {
        await using var server = await ScriptedHttpServer.StartAsync(async (_, context) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"},\"finish_reason\":null}]}\n\n");
            await context.Response.WriteAsync("data: {\"error\":{\"message\":\"KV cache full\",\"type\":\"server_error\"}}\n\n");
        });
        using var client = Client(server.BaseUrl);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => CollectAsync(client.StreamAsync(new CandidateRequest { Prompt = "p" })));

        Assert.Contains("KV cache full", error.Message);
    }

    [Fact]
    public async Task SlowServerIsATimeout()
    {
        await using var server = await ScriptedHttpServer.StartAsync(async (body, context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted);
            await context.Response.WriteAsync(ScriptedHttpServer.OneChoice(body));
        });
        using var client = Client(server.BaseUrl, TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.GenerateAsync(new CandidateRequest { Prompt = "p" }));

        Assert.Contains("0.2 s", error.Message);
    }

    [Fact]
    public async Task AsChatClientTalksToTheSameEndpoint()
    {
        await using var server = new OpenAICompatibleServer(new ScriptedGenerator(), new ServerOptions { Port = 0 });
        using var client = Client(await server.StartAsync());

        var response = await client.AsChatClient().GetResponseAsync("ping", new ChatOptions { Seed = 2 });

        Assert.Equal(ScriptedGenerator.Reply(0, 2, "ping"), response.Text);
    }

    [Fact]
    public async Task OfficialSdkStreamingParsesOurChunksAndSendsMaxCompletionTokens()
    {
        var generator = new ScriptedGenerator();
        await using var server = new OpenAICompatibleServer(generator, new ServerOptions { Port = 0 });
        using var client = Client(await server.StartAsync());

        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in client.AsChatClient().GetStreamingResponseAsync("ping", new ChatOptions { Seed = 6, MaxOutputTokens = 5, Temperature = 0 }))
        {
            text.Append(update.Text);
            finish ??= update.FinishReason;
        }

        Assert.Equal(ScriptedGenerator.Reply(0, 6, "ping"), text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        var seen = Assert.Single(generator.Requests);
        Assert.Equal(5, seen.MaxTokens);
        Assert.Equal(0f, seen.Temperature);
    }

    [Theory]
    [InlineData("ftp://host/v1", "m", "Endpoint")]
    [InlineData("http://host/v1?x=1", "m", "Endpoint")]
    [InlineData("http://host/v1", " ", "Model")]
    public void OptionsAreValidatedWithExplanations(string endpoint, string model, string param)
    {
        var error = Assert.Throws<ArgumentException>(() => new OpenAICompatibleGenerator(new OpenAICompatibleOptions { Endpoint = new Uri(endpoint), Model = model }));

        Assert.Equal(param, error.ParamName);
    }

    [Fact]
    public void LimitsAreValidated()
    {
        var ok = new OpenAICompatibleOptions { Endpoint = new Uri("http://host/v1"), Model = "m" };
        Assert.Throws<ArgumentException>(() => new OpenAICompatibleGenerator(ok with { MaxParallelRequests = 0 }));
        Assert.Throws<ArgumentException>(() => new OpenAICompatibleGenerator(ok with { Timeout = TimeSpan.Zero }));
    }
}
