using System.Text.RegularExpressions;
using AgentKit.Abstractions.Models;
using Microsoft.Extensions.AI;

namespace AgentKit.Core.Scoring.Benchmarks;

/// <summary>How <see cref="LlmJudge"/> samples its verdicts.</summary>
public sealed record LlmJudgeOptions
{
    /// <summary>Tokens the judge may write (default 16: the verdict is one word).</summary>
    public int MaxTokens { get; init; } = 16;

    /// <summary>Sampling temperature (default 0: greedy, so a verdict can be reproduced).</summary>
    public float Temperature { get; init; }

    /// <summary>Sampling seed (default 0).</summary>
    public int? Seed { get; init; } = 0;

    /// <summary>Throws <see cref="ArgumentException"/> when a value is out of range.</summary>
    public LlmJudgeOptions Validate()
    {
        if (MaxTokens < 1)
            throw new ArgumentException($"the judge's MaxTokens must be >= 1, got {MaxTokens}.");
        if (Temperature < 0 || float.IsNaN(Temperature))
            throw new ArgumentException($"the judge's Temperature must be >= 0, got {Temperature}.");
        return this;
    }
}

/// <summary>A judge's decision on one prediction, with what it was asked and what it said (stored with the results).</summary>
/// <param name="Correct">True for "correct", false for "incorrect", null when the reply held no verdict.</param>
/// <param name="Verdict">"correct", "incorrect" or "unparseable".</param>
/// <param name="Prompt">The exact prompt sent to the judge (empty when nothing was sent).</param>
/// <param name="Reply">The judge's reply as written.</param>
public sealed record JudgeVerdict(bool? Correct, string Verdict, string Prompt, string Reply);

/// <summary>
/// An LLM judge for factual answers, as the agent-distillation paper grades its QA sets: a model behind any
/// <see cref="ICandidateGenerator"/> (an OpenAI-compatible endpoint, a local GGUF) is shown the question, the gold answer
/// and the prediction (<see cref="BuildPrompt"/>, one user message) and asked for one word, "correct" or "incorrect". The
/// first verdict word of the reply counts (<see cref="ParseVerdict"/>); a reply without one is "unparseable" (null), never
/// guessed. An empty prediction is judged incorrect without asking.
/// </summary>
public sealed partial class LlmJudge
{
    /// <summary>The judge's instructions, the head of every prompt.</summary>
    public const string Instructions =
        "You are grading an answer to a question. Decide whether the predicted answer means the same as the gold answer: " +
        "ignore differences of wording, case, punctuation, articles and formatting; extra detail is fine if it does not " +
        "contradict the gold answer; a different entity, number or date is incorrect. " +
        "Reply with exactly one word: correct or incorrect.";

    private readonly ICandidateGenerator _generator;
    private readonly LlmJudgeOptions _options;

    /// <summary>Creates a judge that asks <paramref name="generator"/>.</summary>
    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public LlmJudge(ICandidateGenerator generator, LlmJudgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
        _options = (options ?? new LlmJudgeOptions()).Validate();
    }

    /// <summary>The model that judges.</summary>
    public ModelIdentity Model => _generator.Model;

    /// <summary>The prompt for one prediction: <see cref="Instructions"/>, then the question, the gold answer and the prediction, each on its own labelled line.</summary>
    public static string BuildPrompt(string question, string gold, string prediction)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(gold);
        ArgumentNullException.ThrowIfNull(prediction);
        return $"{Instructions}\n\nQuestion: {OneLine(question)}\nGold answer: {OneLine(gold)}\nPredicted answer: {OneLine(prediction)}\n\nVerdict:";
    }

    /// <summary>
    /// The verdict of <paramref name="reply"/>: its first verdict word, case-insensitive ("incorrect", "not correct" and
    /// "wrong" are false; "correct" is true), or null when it has none.
    /// </summary>
    public static bool? ParseVerdict(string? reply)
    {
        if (string.IsNullOrWhiteSpace(reply))
            return null;
        var match = VerdictWord().Match(reply);
        if (!match.Success)
            return null;
        return match.Value.Equals("correct", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Asks the judge about <paramref name="prediction"/>.</summary>
    public async Task<JudgeVerdict> JudgeAsync(string question, string gold, string? prediction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(gold);
        if (string.IsNullOrWhiteSpace(prediction))
            return new JudgeVerdict(false, "incorrect", "", "(no prediction: the judge was not asked)");
        var prompt = BuildPrompt(question, gold, prediction);
        var request = new CandidateRequest
        {
            Messages = [new ChatMessage(ChatRole.User, prompt)],
            N = 1,
            Temperature = _options.Temperature,
            Seed = _options.Seed,
            MaxTokens = _options.MaxTokens,
        }.Validate();
        var result = await _generator.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
        var reply = result.Candidates.Count == 0 ? "" : result.Candidates[0].Text;
        var correct = ParseVerdict(reply);
        return new JudgeVerdict(correct, correct switch { true => "correct", false => "incorrect", null => "unparseable" }, prompt, reply);
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    [GeneratedRegex(@"\b(?:incorrect|not\s+correct|wrong|correct)\b", RegexOptions.IgnoreCase)]
    private static partial Regex VerdictWord();
}
