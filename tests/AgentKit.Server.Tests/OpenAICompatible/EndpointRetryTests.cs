using System.Net;
using AgentKit.Abstractions.Models;
using AgentKit.Models.OpenAICompatible;
using AgentKit.Server.Tests.Fakes;
using Microsoft.AspNetCore.Http;

namespace AgentKit.Server.Tests.OpenAICompatible;

/// <summary>
/// Retries, back-off and the rate limit of the OpenAI-compatible backend against a real scripted HTTP server;
/// the waits run on a <see cref="ManualClock"/>, so seconds of back-off cost no real time.
/// </summary>
public sealed class EndpointRetryTests
{
    private readonly ManualClock _clock = new();

    private OpenAICompatibleGenerator Client(Uri url, EndpointRetryOptions retry, TimeSpan? timeout = null) =>
        new(new OpenAICompatibleOptions { Endpoint = url, Model = "m", Timeout = timeout ?? Timeout.InfiniteTimeSpan, Retry = retry, TimeProvider = _clock });

    /// <summary>A server answering request i with <paramref name="statuses"/>[i] (then 200 with one choice).</summary>
    private static Task<ScriptedHttpServer> ServerAsync(params (int Status, string? RetryAfter)[] statuses)
    {
        var served = 0;
        return ScriptedHttpServer.StartAsync(async (body, context) =>
        {
            var i = Interlocked.Increment(ref served) - 1;
            if (i < statuses.Length)
            {
                context.Response.StatusCode = statuses[i].Status;
                if (statuses[i].RetryAfter is { } after)
                    context.Response.Headers.RetryAfter = after;
                await context.Response.WriteAsync("{\"error\":{\"message\":\"busy " + i + "\"}}");
                return;
            }
            if (body.TryGetProperty("stream", out var stream) && stream.GetBoolean())
            {
                context.Response.ContentType = "text/event-stream";
                var chunk = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"seed " + ScriptedHttpServer.SeedOf(body) + "\"},\"finish_reason\":\"stop\"}]}";
                await context.Response.WriteAsync($"data: {chunk}\n\ndata: [DONE]\n\n");
                return;
            }
            await context.Response.WriteAsync(ScriptedHttpServer.OneChoice(body));
        });
    }

    [Fact]
    public async Task A_429_waits_what_Retry_After_asks_and_a_503_backs_off_then_the_answer_comes()
    {
        await using var server = await ServerAsync((429, "7"), (503, null));
        using var client = Client(server.BaseUrl, new EndpointRetryOptions { MaxRetries = 3, BaseDelay = TimeSpan.FromSeconds(2) });

        var answer = client.GenerateAsync(new CandidateRequest { Prompt = "p", Seed = 5 });
        var first = Assert.Single(await _clock.WaitForPendingAsync());
        Assert.Equal(TimeSpan.FromSeconds(7), first);
        _clock.Advance(first);
        var second = Assert.Single(await _clock.WaitForPendingAsync());
        Assert.InRange(second, TimeSpan.FromSeconds(2 * 2 * 0.5), TimeSpan.FromSeconds(2 * 2)); // second retry: 2 s · 2¹ · jitter [0.5, 1]
        _clock.Advance(second);

        Assert.Equal("seed 5", (await answer).Candidates[0].Text);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task When_the_retries_are_spent_the_last_error_surfaces_and_a_400_is_never_retried()
    {
        await using var busy = await ServerAsync((503, "1"), (503, "1"), (503, "1"));
        using var client = Client(busy.BaseUrl, new EndpointRetryOptions { MaxRetries = 2 });

        var answer = client.GenerateAsync(new CandidateRequest { Prompt = "p" });
        for (var i = 0; i < 2; i++)
            _clock.Advance(Assert.Single(await _clock.WaitForPendingAsync()));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => answer);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        Assert.Contains("busy 2", error.Message);
        Assert.Equal(3, busy.Requests.Count);

        await using var refusing = await ServerAsync((400, null));
        using var strict = Client(refusing.BaseUrl, new EndpointRetryOptions { MaxRetries = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, (await Assert.ThrowsAsync<HttpRequestException>(() => strict.GenerateAsync(new CandidateRequest { Prompt = "p" }))).StatusCode);
        Assert.Single(refusing.Requests);
    }

    [Fact]
    public async Task A_request_that_times_out_is_sent_again()
    {
        var served = 0;
        await using var server = await ScriptedHttpServer.StartAsync(async (body, context) =>
        {
            if (Interlocked.Increment(ref served) == 1)
                await Task.Delay(Timeout.Infinite, context.RequestAborted); // the first attempt never answers
            await context.Response.WriteAsync(ScriptedHttpServer.OneChoice(body));
        });
        using var client = Client(server.BaseUrl, new EndpointRetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromSeconds(1) }, TimeSpan.FromSeconds(30));

        var answer = client.GenerateAsync(new CandidateRequest { Prompt = "p", Seed = 2 });
        Assert.Equal(TimeSpan.FromSeconds(30), Assert.Single(await _clock.WaitForPendingAsync())); // the attempt's timeout
        await WaitUntilAsync(() => served == 1);
        _clock.Advance(TimeSpan.FromSeconds(30));
        var backOff = Assert.Single(await _clock.WaitForPendingAsync());
        Assert.InRange(backOff, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
        _clock.Advance(backOff);

        Assert.Equal("seed 2", (await answer).Candidates[0].Text);
        Assert.Equal(2, served);
    }

    [Fact]
    public async Task Opening_a_stream_is_retried_too()
    {
        await using var server = await ServerAsync((503, "3"));
        using var client = Client(server.BaseUrl, new EndpointRetryOptions { MaxRetries = 1 });

        var deltas = Task.Run(async () =>
        {
            var texts = new List<string>();
            await foreach (var delta in client.StreamAsync(new CandidateRequest { Prompt = "p", Seed = 8 }))
                texts.Add(delta.Text);
            return string.Concat(texts);
        });
        _clock.Advance(Assert.Single(await _clock.WaitForPendingAsync()));

        Assert.Equal("seed 8", await deltas);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task The_rate_limit_spaces_parallel_requests_evenly()
    {
        await using var server = await ServerAsync();
        using var client = Client(server.BaseUrl, new EndpointRetryOptions { RequestsPerMinute = 30 });

        var answers = Enumerable.Range(0, 3).Select(i => client.GenerateAsync(new CandidateRequest { Prompt = "p", Seed = i })).ToList();
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)], await _clock.WaitForPendingAsync(2));
        await WaitUntilAsync(() => server.Requests.Count == 1);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await WaitUntilAsync(() => server.Requests.Count == 2);
        Assert.Equal([TimeSpan.FromSeconds(2)], _clock.Pending());
        _clock.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(3, (await Task.WhenAll(answers)).Length);
        Assert.Equal(3, server.Requests.Count);
    }

    [Theory]
    [InlineData(-1, 1, 60, null, "max retries")]
    [InlineData(1, 5, 2, null, "longest retry delay")]
    [InlineData(1, 1, 60, 0.0, "requests per minute")]
    public void Unusable_settings_are_refused(int retries, double baseSeconds, double maxSeconds, double? rpm, string message)
    {
        var options = new EndpointRetryOptions
        {
            MaxRetries = retries, BaseDelay = TimeSpan.FromSeconds(baseSeconds), MaxDelay = TimeSpan.FromSeconds(maxSeconds), RequestsPerMinute = rpm,
        };
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => options.Validate()).Message);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in 10 s");
            await Task.Delay(5);
        }
    }
}
