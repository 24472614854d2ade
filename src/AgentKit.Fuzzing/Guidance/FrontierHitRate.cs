using System.Text;
using AgentKit.Abstractions.Models;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Target-branch hit rate of a model on frontier questions: each question is asked for <see cref="FrontierHitRateOptions.K"/>
/// completions (<see cref="FrontierPrompt.Messages"/>, as <c>fuzz --lm</c> and the GRPO reward ask), every answer's input
/// (<see cref="FrontierPrompt.ExtractInput"/>) runs in the target through a <see cref="FrontierAnswerScorer"/>, and a
/// completion is a hit when its reward is 1.0 (the branch was taken). <see cref="SeedBaseline"/> scores the questions'
/// own seeds instead: the floor a model must beat.
/// </summary>
public sealed class FrontierHitRate
{
    private readonly FrontierAnswerScorer _scorer;
    private readonly FrontierHitRateOptions _options;

    /// <summary>Measures with <paramref name="scorer"/>, which must have been built with the questions to be asked.</summary>
    public FrontierHitRate(FrontierAnswerScorer scorer, FrontierHitRateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        _scorer = scorer;
        _options = options ?? new FrontierHitRateOptions();
    }

    /// <summary>Asks <paramref name="generator"/> every question and scores its completions. A generator that throws for a question is recorded in its row.</summary>
    public Task<FrontierHitRateReport> MeasureAsync(IReadOnlyList<FrontierQuestion> questions, ICandidateGenerator generator, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return RunAsync(questions, async (question, index, token) =>
        {
            var request = new CandidateRequest
            {
                Messages = FrontierPrompt.Messages(question), N = _options.K, Temperature = _options.Temperature, MaxTokens = _options.MaxTokens,
                Seed = _options.Seed is { } seed ? seed + index : null,
            }.Validate();
            var result = await generator.GenerateAsync(request, token).ConfigureAwait(false);
            return result.Candidates.Select(c => c.Text ?? "").ToList();
        }, ct);
    }

    /// <summary>The baseline without a model: each question answered once with its own seed input.</summary>
    public FrontierHitRateReport SeedBaseline(IReadOnlyList<FrontierQuestion> questions) =>
        RunAsync(questions, (question, _, _) => Task.FromResult<IReadOnlyList<string>>([FrontierPrompt.AnswerText(question.SeedBytes(), question.SeedIsBase64)]),
            CancellationToken.None).GetAwaiter().GetResult();

    private async Task<FrontierHitRateReport> RunAsync(IReadOnlyList<FrontierQuestion> questions,
        Func<FrontierQuestion, int, CancellationToken, Task<IReadOnlyList<string>>> answer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(questions);
        if (questions.Count == 0)
            throw new ArgumentException("no questions to ask", nameof(questions));
        var rows = new List<FrontierHitRateRow>();
        var rewards = new List<double>();
        var modelTime = TimeSpan.Zero;
        for (var i = 0; i < questions.Count; i++)
        {
            var question = questions[i];
            var started = _options.Time.GetTimestamp();
            IReadOnlyList<string> completions;
            try
            {
                completions = await answer(question, i, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                modelTime += _options.Time.GetElapsedTime(started);
                rows.Add(new FrontierHitRateRow(question.TargetId, question.Method, 0, 0, 0, 0, $"{ex.GetType().Name}: {ex.Message}"));
                continue;
            }
            modelTime += _options.Time.GetElapsedTime(started);
            int hits = 0, unusable = 0;
            var best = 0.0;
            byte[]? bestInput = null;
            foreach (var completion in completions)
            {
                var input = FrontierPrompt.ExtractInput(completion, question.SeedIsBase64);
                var value = 0.0;
                if (input.Length == 0)
                    unusable++;
                else
                    value = _scorer.Score(question, input).Value;
                rewards.Add(value);
                hits += value >= 1.0 ? 1 : 0;
                if (input.Length > 0 && (bestInput is null || value > best))
                    bestInput = input;
                best = Math.Max(best, value);
            }
            var bestAnswer = bestInput is null ? null
                : question.SeedIsBase64 ? Convert.ToBase64String(bestInput) : Encoding.UTF8.GetString(bestInput);
            rows.Add(new FrontierHitRateRow(question.TargetId, question.Method, completions.Count, hits, best, unusable, null, bestAnswer));
        }
        var total = rewards.Count;
        var hitCount = rows.Sum(r => r.Hits);
        return new FrontierHitRateReport(questions.Count, total, hitCount, total > 0 ? (double)hitCount / total : 0,
            (double)rows.Count(r => r.Hits > 0) / questions.Count, total > 0 ? rewards.Average() : 0, rows.Sum(r => r.Unusable),
            rows.Count(r => r.Error is not null), _scorer.Findings, Math.Round(modelTime.TotalSeconds, 3), rows);
    }
}
