namespace AgentKit.Fuzzing.Guidance;

/// <summary>What <see cref="FrontierHitRate"/> measured over a question set.</summary>
/// <param name="Questions">Questions asked.</param>
/// <param name="Completions">Completions scored (unusable ones included, as misses).</param>
/// <param name="Hits">Completions whose input took the question's branch (reward 1.0).</param>
/// <param name="HitRate">Hits over completions: the chance one sample takes the branch.</param>
/// <param name="HitAtK">Share of questions with at least one hit among their completions.</param>
/// <param name="MeanReward">Mean distance reward over completions (partial credit for near misses).</param>
/// <param name="Unusable">Completions whose extracted input was empty (not run, reward 0).</param>
/// <param name="Errors">Questions whose generator call threw (no completions; they count as misses in <paramref name="HitAtK"/>).</param>
/// <param name="Findings">Distinct inputs that crashed, killed the worker or hung.</param>
/// <param name="ModelSeconds">Wall time spent in the generator.</param>
/// <param name="Rows">One row per question, in order.</param>
public sealed record FrontierHitRateReport(int Questions, int Completions, int Hits, double HitRate, double HitAtK, double MeanReward, int Unusable,
    int Errors, int Findings, double ModelSeconds, IReadOnlyList<FrontierHitRateRow> Rows);

/// <summary>One question's result.</summary>
/// <param name="TargetId">The question's target block.</param>
/// <param name="Method">The method holding the branch.</param>
/// <param name="Completions">Completions scored.</param>
/// <param name="Hits">Completions that took the branch.</param>
/// <param name="BestReward">Highest reward among the completions (0 without any).</param>
/// <param name="Unusable">Completions with an empty input.</param>
/// <param name="Error">Why the generator failed for this question, or null.</param>
/// <param name="BestAnswer">
/// The input of the first completion with <paramref name="BestReward"/>, as questions show inputs (text, or base64 when the
/// question's seed is): what the model wrote closest to the branch. Null without a usable completion.
/// </param>
public sealed record FrontierHitRateRow(int TargetId, string Method, int Completions, int Hits, double BestReward, int Unusable, string? Error,
    string? BestAnswer = null);
