using AgentKit.Models.LlamaSharp;
using AgentKit.Server.Benchmarks;
using AgentKit.Server.Tests.Fakes;
using AgentKit.TestUtils;

namespace AgentKit.Server.Tests.Benchmarks;

public sealed class ServerLoadBenchmarkTests
{
    [Fact]
    public async Task Concurrent_clients_on_a_real_model_get_every_answer_and_the_figures_add_up()
    {
        using var model = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), ContextSize = 256, Threads = 2 });

        var report = await ServerLoadBenchmark.RunAsync(model, new ServerLoadOptions { Clients = 4, Duration = TimeSpan.FromSeconds(1), MaxTokens = 3 });

        Assert.Equal(0, report.Errors);
        Assert.True(report.Requests >= 4, $"{report.Requests} requests");
        Assert.InRange(report.CompletionTokens, report.Requests, report.Requests * 3L);
        Assert.True(report.P50Ms > 0 && report.P50Ms <= report.P99Ms && report.P99Ms <= report.MaxMs);
        // The duration is reported to 0.01 s; the rate comes from the unrounded one.
        Assert.InRange(report.RequestsPerSecond, report.Requests / (report.DurationSeconds + 0.005) - 0.01, report.Requests / (report.DurationSeconds - 0.005) + 0.01);
    }

    [Fact]
    public async Task Without_a_model_file_a_random_one_is_written_served_and_deleted()
    {
        var before = Directory.GetFiles(Path.GetTempPath(), "agentkit-bench-serve-*.gguf").ToHashSet();

        var report = await ServerLoadBenchmark.RunAsync(new LlamaSharpOptions { ModelPath = "unused.gguf", Threads = 2 }, randomModel: true,
            new ServerLoadOptions { Clients = 2, Duration = TimeSpan.FromSeconds(1), MaxTokens = 2 });

        // Served: at least one answer (on a loaded machine a second client's first request may still be in flight at the end).
        Assert.Equal(0, report.Errors);
        Assert.True(report.Requests >= 1, $"{report.Requests} requests");
        Assert.DoesNotContain(Directory.GetFiles(Path.GetTempPath(), "agentkit-bench-serve-*.gguf"), f => !before.Contains(f));
    }

    [Fact]
    public async Task A_model_file_that_cannot_be_loaded_is_invalid_data_and_bad_settings_are_refused_first()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"agentkit-broken-{Guid.NewGuid():N}.gguf");
        File.WriteAllBytes(broken, File.ReadAllBytes(TinyModels.RandomLlamaPath())[..200]);
        try
        {
            await Assert.ThrowsAsync<InvalidDataException>(() => ServerLoadBenchmark.RunAsync(new LlamaSharpOptions { ModelPath = broken }, false, new ServerLoadOptions()));
            await Assert.ThrowsAsync<ArgumentException>(() => ServerLoadBenchmark.RunAsync(new LlamaSharpOptions { ModelPath = broken, Threads = 0 }, false, new ServerLoadOptions()));
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public async Task Failed_requests_are_counted_as_errors_with_the_servers_message()
    {
        var failing = new ScriptedGenerator();

        var report = await ServerLoadBenchmark.RunAsync(failing, new ServerLoadOptions { Clients = 2, Duration = TimeSpan.FromMilliseconds(300), Prompt = "FAIL please" });

        Assert.True(report.Errors > 0);
        Assert.Equal(report.Requests, report.Errors);
        Assert.Equal(0, report.RequestsPerSecond);
        Assert.Contains("scripted failure", report.FirstErrors[0]);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    public void Unusable_options_are_refused(int clients, double seconds, int maxTokens) =>
        Assert.Throws<ArgumentException>(() => new ServerLoadOptions { Clients = clients, Duration = TimeSpan.FromSeconds(seconds), MaxTokens = maxTokens }.Validate());
}
