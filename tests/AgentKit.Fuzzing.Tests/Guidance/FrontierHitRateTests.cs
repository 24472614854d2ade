using System.Text;
using AgentKit.Abstractions.Models;
using AgentKit.Fuzzing.Guidance;
using AgentKit.Fuzzing.Tests.LanguageModel;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class FrontierHitRateTests(ToyBlockTargets toy) : IClassFixture<ToyBlockTargets>
{
    private static readonly FuzzHarness Commands = FuzzHarness.Static("AgentKit.Fuzzing.ToyParser.CommandParser.Parse", ["System.FormatException"]);

    private FrontierQuestion ChecksumQuestion() => toy.ChecksumQuestion();

    [Fact]
    public async Task A_model_that_reads_the_checksum_hits_every_time_and_one_that_echoes_the_seed_never()
    {
        var question = ChecksumQuestion();
        using var scorer = FrontierAnswerScorer.ForTarget(toy.Target, Commands, [question], []);
        var hitRate = new FrontierHitRate(scorer, new FrontierHitRateOptions { K = 3, Seed = 7 });

        var reader = await hitRate.MeasureAsync([question], new SliceReadingGenerator());
        var echo = await hitRate.MeasureAsync([question], new EchoGenerator());
        var baseline = hitRate.SeedBaseline([question]);

        Assert.Equal((1, 3, 3, 1.0, 1.0, 1.0), (reader.Questions, reader.Completions, reader.Hits, reader.HitRate, reader.HitAtK, reader.MeanReward));
        var row = Assert.Single(reader.Rows);
        Assert.Equal((question.TargetId, question.Method, 3, 1.0), (row.TargetId, row.Method, row.Hits, row.BestReward));
        Assert.StartsWith("unlock ", row.BestAnswer); // the answer that took the branch: a code ≡ 42 (mod 97)
        Assert.Equal(42, int.Parse(row.BestAnswer!["unlock ".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture) % 97);
        Assert.Equal(question.Seed, Assert.Single(echo.Rows).BestAnswer);
        Assert.Equal((3, 0, 0.0, 0.0), (echo.Completions, echo.Hits, echo.HitRate, echo.HitAtK));
        Assert.InRange(echo.MeanReward, 0.0, 0.99); // a near miss earns partial credit, never a hit
        Assert.Equal((1, 0, 0.0), (baseline.Completions, baseline.Hits, baseline.HitAtK));
        Assert.Equal(echo.MeanReward, baseline.MeanReward, 9); // the echo and the baseline run the same input
        Assert.Equal(0, reader.Findings);
    }

    [Fact]
    public async Task Empty_answers_are_unusable_misses_and_a_failing_generator_is_recorded_per_question()
    {
        var question = ChecksumQuestion();
        using var scorer = FrontierAnswerScorer.ForTarget(toy.Target, Commands, [question], []);
        var hitRate = new FrontierHitRate(scorer, new FrontierHitRateOptions { K = 2 });

        var junk = await hitRate.MeasureAsync([question], new BadGenerator(BadGenerator.Failure.Junk));
        var thrown = await hitRate.MeasureAsync([question, question], new BadGenerator(BadGenerator.Failure.Throw));

        Assert.Equal(3, junk.Completions); // the junk generator answers three whatever K is
        Assert.Equal(2, junk.Unusable);
        Assert.Equal(0, junk.Hits);
        Assert.Equal((2, 0, 2, 0.0), (thrown.Questions, thrown.Completions, thrown.Errors, thrown.HitAtK));
        Assert.All(thrown.Rows, r => Assert.Contains("connection refused", r.Error, StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => hitRate.SeedBaseline([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrontierHitRateOptions { K = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrontierHitRateOptions { Temperature = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrontierHitRateOptions { MaxTokens = 0 });
    }

    /// <summary>Answers every question with its closest input, unchanged.</summary>
    private sealed class EchoGenerator : ICandidateGenerator
    {
        public ModelIdentity Model { get; } = new("echo", "test");

        public Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default)
        {
            var prompt = request.Messages![^1].Text;
            var seed = prompt.Split("Closest input:\n```\n")[1].Split("\n```")[0];
            var completions = Enumerable.Range(0, request.N).Select(_ => new CandidateCompletion($"```\n{seed}\n```", 3, FinishReasons.Stop)).ToList();
            return Task.FromResult(new CandidateResult(completions, 10, TimeSpan.Zero));
        }
    }
}
