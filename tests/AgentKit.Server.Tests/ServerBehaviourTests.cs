using System.Net;
using System.Text.Json;
using AgentKit.Server.Tests.Fakes;

namespace AgentKit.Server.Tests;

/// <summary>Control flow of the server (errors, queueing, streaming fallback) over a scripted model.</summary>
public sealed class ServerBehaviourTests
{
    private const string Hello = """{"messages":[{"role":"user","content":"hello"}],"seed":5}""";

    private static async Task<(OpenAICompatibleServer Server, Uri Url)> StartAsync(AgentKit.Abstractions.Models.ICandidateGenerator generator, ServerOptions? options = null)
    {
        var server = new OpenAICompatibleServer(generator, (options ?? new ServerOptions()) with { Port = 0 });
        return (server, await server.StartAsync());
    }

    [Fact]
    public async Task StartReportsTheBoundLoopbackUrlAndTheModelIsListed()
    {
        var (server, url) = await StartAsync(new ScriptedGenerator(), new ServerOptions { ModelName = "tiny" });
        await using var running = server;

        Assert.Equal("127.0.0.1", url.Host);
        Assert.NotEqual(0, url.Port);
        Assert.Equal("/v1", url.AbsolutePath);
        var (status, body) = await Http.GetAsync(url, "/models");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("list", body.GetProperty("object").GetString());
        Assert.Equal("tiny", body.GetProperty("data")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task CompletionHasTheOpenAIShapeWithCreatedFromTheTimeProvider()
    {
        var clock = new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var (server, url) = await StartAsync(new ScriptedGenerator(), new ServerOptions { TimeProvider = clock });
        await using var running = server;

        var (status, body) = await Http.PostAsync(url, "/chat/completions", """{"messages":[{"role":"user","content":"hello"}],"n":2,"seed":5}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString());
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.Equal(1_700_000_000, body.GetProperty("created").GetInt64());
        Assert.Equal("scripted", body.GetProperty("model").GetString());
        var choices = body.GetProperty("choices");
        Assert.Equal(2, choices.GetArrayLength());
        Assert.Equal(1, choices[1].GetProperty("index").GetInt32());
        Assert.Equal("assistant", choices[1].GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(ScriptedGenerator.Reply(1, 5, "hello"), choices[1].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choices[1].GetProperty("finish_reason").GetString());
        var usage = body.GetProperty("usage");
        Assert.Equal(7, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(10, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(17, usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task GeneratorFailureIs500AndTheServerKeepsServing()
    {
        var (server, url) = await StartAsync(new ScriptedGenerator());
        await using var running = server;

        var (status, body) = await Http.PostAsync(url, "/chat/completions", """{"messages":[{"role":"user","content":"please FAIL"}]}""");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var error = Http.AssertError(body, "server_error", null);
        Assert.Contains("scripted failure", error.GetProperty("message").GetString());

        var (nextStatus, next) = await Http.PostAsync(url, "/chat/completions", Hello);
        Assert.Equal(HttpStatusCode.OK, nextStatus);
        Assert.Equal(ScriptedGenerator.Reply(0, 5, "hello"), next.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task StreamingFailureBeforeTheFirstTokenStillGetsAStatusCode()
    {
        var (server, url) = await StartAsync(new ScriptedGenerator());
        await using var running = server;

        var (status, body) = await Http.PostAsync(url, "/chat/completions", """{"messages":[{"role":"user","content":"FAIL"}],"stream":true}""");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Http.AssertError(body, "server_error", null);
    }

    [Fact]
    public async Task UnknownRouteAndWrongMethodAnswerInTheErrorShape()
    {
        var (server, url) = await StartAsync(new ScriptedGenerator());
        await using var running = server;

        var (status, body) = await Http.GetAsync(url, "/embeddings");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("/v1/embeddings", Http.AssertError(body, "invalid_request_error", null).GetProperty("message").GetString());

        var (getStatus, getBody) = await Http.GetAsync(url, "/chat/completions");
        Assert.True(getStatus is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"status {getStatus}");
        Http.AssertError(getBody, "invalid_request_error", null);
    }

    [Fact]
    public async Task MalformedJsonIs400AndTheNextRequestSucceeds()
    {
        var (server, url) = await StartAsync(new ScriptedGenerator());
        await using var running = server;

        var (status, body) = await Http.PostAsync(url, "/chat/completions", """{"messages":[{"role":"user","content":"x"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_json", Http.AssertError(body, "invalid_request_error", null).GetProperty("code").GetString());

        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync(url, "/chat/completions", Hello)).Status);
    }

    [Fact]
    public async Task ConcurrentRequestsAreQueuedOneAtATimeNotRejected()
    {
        var generator = new ScriptedGenerator(delay: TimeSpan.FromMilliseconds(60));
        var (server, url) = await StartAsync(generator);
        await using var running = server;

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            Http.PostAsync(url, "/chat/completions", $$"""{"messages":[{"role":"user","content":"q{{i}}"}]}""")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(5, generator.Requests.Count);
        Assert.Equal(1, generator.MaxConcurrentCalls);
    }

    [Fact]
    public async Task MaxConcurrentGenerationsAllowsParallelCalls()
    {
        var generator = new ScriptedGenerator(delay: TimeSpan.FromMilliseconds(300));
        var (server, url) = await StartAsync(generator, new ServerOptions { MaxConcurrentGenerations = 3 });
        await using var running = server;

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Http.PostAsync(url, "/chat/completions", Hello)));

        Assert.True(generator.MaxConcurrentCalls > 1, $"max concurrent calls {generator.MaxConcurrentCalls}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StreamSendsRoleThenDeltasThenFinishReasonPerChoiceThenDone(bool generatorStreams)
    {
        var scripted = new ScriptedGenerator();
        AgentKit.Abstractions.Models.ICandidateGenerator generator = generatorStreams ? scripted : new NonStreamingGenerator(scripted);
        var (server, url) = await StartAsync(generator);
        await using var running = server;

        var (status, contentType, events) = await Http.PostStreamAsync(url, """{"messages":[{"role":"user","content":"hi"}],"n":2,"seed":3,"stream":true}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/event-stream", contentType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        for (var index = 0; index < 2; index++)
        {
            var mine = chunks.Select(c => c.GetProperty("choices")[0]).Where(c => c.GetProperty("index").GetInt32() == index).ToList();
            Assert.Equal("assistant", mine[0].GetProperty("delta").GetProperty("role").GetString());
            Assert.All(mine.Skip(1), c => Assert.False(c.GetProperty("delta").TryGetProperty("role", out _)));
            var text = string.Concat(mine.Select(c => c.GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : ""));
            Assert.Equal(ScriptedGenerator.Reply(index, 3, "hi"), text);
            Assert.Equal("stop", mine[^1].GetProperty("finish_reason").GetString());
            Assert.All(mine[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("finish_reason").ValueKind));
        }
    }

    [Fact]
    public void OptionsAreValidatedWithExplanations()
    {
        var generator = new ScriptedGenerator();
        Assert.Contains("Host", Assert.Throws<ArgumentException>(() => new OpenAICompatibleServer(generator, new ServerOptions { Host = "example.org" })).Message);
        Assert.Contains("Port", Assert.Throws<ArgumentException>(() => new OpenAICompatibleServer(generator, new ServerOptions { Port = 70000 })).Message);
        Assert.Contains("MaxConcurrentGenerations", Assert.Throws<ArgumentException>(() => new OpenAICompatibleServer(generator, new ServerOptions { MaxConcurrentGenerations = 0 })).Message);
        Assert.Contains("ModelName", Assert.Throws<ArgumentException>(() => new OpenAICompatibleServer(generator, new ServerOptions { ModelName = " " })).Message);
    }

    [Fact]
    public async Task APortInUseIsAClearIOException()
    {
        var (first, url) = await StartAsync(new ScriptedGenerator());
        await using var running = first;
        await using var second = new OpenAICompatibleServer(new ScriptedGenerator(), new ServerOptions { Port = url.Port });

        var error = await Assert.ThrowsAsync<IOException>(() => second.StartAsync());

        Assert.Contains($"127.0.0.1:{url.Port}", error.Message);
    }

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
