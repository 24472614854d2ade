using AgentKit.Server.Tests.Fakes;
using Microsoft.Extensions.Logging;

namespace AgentKit.Server.Tests;

public sealed class TextWriterLoggerProviderTests
{
    [Fact]
    public async Task A_served_request_is_one_timestamped_line_and_warnings_are_prefixed()
    {
        var writer = new StringWriter();
        var time = new FixedLocalTime(new DateTimeOffset(2026, 1, 2, 13, 14, 15, TimeSpan.Zero));
        using var logs = LoggerFactory.Create(b => b.AddProvider(new TextWriterLoggerProvider(writer, time)).SetMinimumLevel(LogLevel.Trace));
        await using var server = new OpenAICompatibleServer(new ScriptedGenerator(), new ServerOptions { Port = 0, LoggerFactory = logs });
        var url = await server.StartAsync();
        using var http = new HttpClient();

        (await http.GetAsync(new Uri(url + "/models"))).EnsureSuccessStatusCode();
        // The request line is written once the pipeline has finished, which may be just after the client has its answer.
        for (var i = 0; i < 100 && !writer.ToString().Contains("GET /v1/models", StringComparison.Ordinal); i++)
            await Task.Delay(50);
        logs.CreateLogger("test").LogWarning(new InvalidDataException("bad bytes"), "odd {Thing}", "input");
        logs.CreateLogger("test").LogDebug("below the level");

        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.StartsWith("13:14:15 ", line));
        Assert.Contains(lines, line => line.StartsWith("13:14:15 Listening on " + url, StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("GET /v1/models -> 200", StringComparison.Ordinal));
        Assert.Equal("13:14:15 warning: odd input (InvalidDataException: bad bytes)", lines[^1]);
        Assert.DoesNotContain(lines, line => line.Contains("below the level", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Waiting_for_stop_returns_when_the_token_is_cancelled()
    {
        await using var server = new OpenAICompatibleServer(new ScriptedGenerator(), new ServerOptions { Port = 0 });
        await server.StartAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var waiting = server.WaitForStopAsync(cancel.Token);

        Assert.Same(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(10))));
        await waiting;
    }

    /// <summary>A clock whose local time zone is UTC, so the expected timestamp does not depend on the machine.</summary>
    private sealed class FixedLocalTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}
