using System.Text.Json;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

public sealed class BenchServeCommandTests
{
    [Fact]
    public async Task Bench_serve_loads_the_server_with_concurrent_clients_and_reports_throughput_and_latency()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await CliApp.RunAsync(["bench", "serve", "--model", TinyModels.RandomLlamaPath(), "--clients", "3", "--duration", "1.5", "--max-tokens", "4", "--threads", "2", "--json"], stdout, stderr);

        Assert.True(exit == 0, stderr.ToString() + stdout);
        using var report = JsonDocument.Parse(stdout.ToString());
        var root = report.RootElement;
        Assert.Equal(3, root.GetProperty("clients").GetInt32());
        Assert.Equal(0, root.GetProperty("errors").GetInt32());
        var requests = root.GetProperty("requests").GetInt32();
        Assert.True(requests >= 3, $"only {requests} requests in 1.5 s");
        Assert.InRange(root.GetProperty("duration_seconds").GetDouble(), 1.5, 60);
        // The duration is reported to 0.01 s; the rate comes from the unrounded one.
        var seconds = root.GetProperty("duration_seconds").GetDouble();
        Assert.InRange(root.GetProperty("requests_per_second").GetDouble(), requests / (seconds + 0.005) - 0.01, requests / (seconds - 0.005) + 0.01);
        Assert.True(root.GetProperty("p50_ms").GetDouble() > 0);
        Assert.True(root.GetProperty("p99_ms").GetDouble() >= root.GetProperty("p50_ms").GetDouble());
        Assert.InRange(root.GetProperty("completion_tokens").GetInt64(), requests, requests * 4L);
    }

    [Theory]
    [InlineData("--clients", "0")]
    [InlineData("--duration", "0")]
    [InlineData("--duration", "-3")]
    [InlineData("--max-tokens", "0")]
    public async Task Bench_serve_rejects_bad_settings_with_exit_2(string option, string value)
    {
        var stderr = new StringWriter();

        var exit = await CliApp.RunAsync(["bench", "serve", option, value], new StringWriter(), stderr);

        Assert.Equal(CliApp.UsageError, exit);
        Assert.Contains(option, stderr.ToString());
    }
}
