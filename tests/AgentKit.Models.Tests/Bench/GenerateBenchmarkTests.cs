using AgentKit.Models.Bench;
using AgentKit.TestUtils;

namespace AgentKit.Models.Tests.Bench;

public sealed class GenerateBenchmarkTests
{
    [Fact]
    public async Task A_given_model_is_timed_at_n_and_one_with_every_candidate_making_max_tokens()
    {
        var done = new List<int>();
        var options = new GenerateBenchmarkOptions { Candidates = 2, MaxTokens = 4, Repeats = 1, PromptTokens = 8, Threads = 1 };

        var report = await GenerateBenchmark.RunAsync(TinyModels.RandomLlamaPath(), options, new Recorder(done));

        Assert.False(report.RandomModel);
        Assert.Equal([1, 2], report.Rows.Select(r => r.N));
        Assert.Equal([4, 8], report.Rows.Select(r => r.GeneratedTokens));
        Assert.Equal([1, 2], done);
    }

    [Fact]
    public async Task A_missing_model_or_bad_options_are_refused_before_any_work()
    {
        var options = new GenerateBenchmarkOptions { Candidates = 2, MaxTokens = 4, Repeats = 1, PromptTokens = 8 };

        Assert.StartsWith("model file not found", (await Assert.ThrowsAsync<ArgumentException>(() => GenerateBenchmark.RunAsync("/nonexistent/m.gguf", options))).Message);
        Assert.StartsWith("Candidates", (await Assert.ThrowsAsync<ArgumentException>(() => GenerateBenchmark.RunAsync(null, options with { Candidates = 1 }))).Message);
    }

    private sealed class Recorder(List<int> into) : IProgress<int>
    {
        public void Report(int value) => into.Add(value);
    }
}
