using AgentKit.Abstractions.Models;
using Microsoft.Extensions.AI;

namespace AgentKit.Core.Scoring.Benchmarks;

/// <summary>What <see cref="ChainOfThoughtAnswering.AnswerAsync"/> got from the model.</summary>
/// <param name="Answer">The chosen answer (extracted, then voted over the samples), or null when no sample gave one.</param>
/// <param name="Replies">Every sampled reply as written.</param>
/// <param name="Answers">The answer extracted from each reply (null where none), in reply order.</param>
public sealed record ChainOfThoughtAnswer(string? Answer, IReadOnlyList<string> Replies, IReadOnlyList<string?> Answers);

/// <summary>
/// The paper's chain-of-thought baseline without tools: one plain generation per question, told to reason step by step
/// and to state its answer in a fixed form (math: <c>\boxed{…}</c>, <see cref="MathInstructions"/>; factual: a last
/// line "Final answer: …", <see cref="QaInstructions"/>). The answer is taken out with <see cref="MathAnswerExtractor"/>
/// (math: all its fallbacks; factual: only the boxed or marked forms, else the reply's last non-empty line). With N &gt; 1
/// samples the most common answer wins (self-consistency, <see cref="Vote"/>).
/// </summary>
public static class ChainOfThoughtAnswering
{
    /// <summary>The system message for math sets.</summary>
    public const string MathInstructions =
        "Solve the problem. Think step by step, then give the final answer in the form \\boxed{ANSWER}.";

    /// <summary>The system message for factual sets.</summary>
    public const string QaInstructions =
        "Answer the question. Think step by step, then end with one line of the form \"Final answer: ANSWER\", where ANSWER is a short phrase.";

    /// <summary>The instructions for sets of <paramref name="kind"/>.</summary>
    public static string Instructions(BenchmarkKind kind) => kind == BenchmarkKind.Math ? MathInstructions : QaInstructions;

    /// <summary>The exact messages of a chain-of-thought request for <paramref name="question"/>: what eval sends and what <c>record --mode cot</c> trains on.</summary>
    public static IReadOnlyList<ChatMessage> Messages(string question, BenchmarkKind kind) =>
        [new ChatMessage(ChatRole.System, Instructions(kind)), new ChatMessage(ChatRole.User, question)];

    /// <summary>Samples <paramref name="n"/> chain-of-thought replies to <paramref name="question"/> and returns the voted answer.</summary>
    /// <exception cref="ArgumentException">A sampling value is out of range.</exception>
    public static async Task<ChainOfThoughtAnswer> AnswerAsync(ICandidateGenerator generator, string question, BenchmarkKind kind, int n,
        float temperature, int? seed, int maxTokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        var request = new CandidateRequest
        {
            Messages = [.. Messages(question, kind)],
            N = n,
            Temperature = temperature,
            Seed = seed,
            MaxTokens = maxTokens,
        }.Validate();
        var result = await generator.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
        var replies = result.Candidates.Select(c => c.Text).ToList();
        var answers = replies.Select(r => Extract(r, kind)).ToList();
        return new ChainOfThoughtAnswer(Vote(answers, kind), replies, answers);
    }

    /// <summary>The answer of one reply for a set of <paramref name="kind"/>, or null.</summary>
    public static string? Extract(string? reply, BenchmarkKind kind)
    {
        if (string.IsNullOrWhiteSpace(reply))
            return null;
        if (kind == BenchmarkKind.Math)
            return MathAnswerExtractor.Extract(reply)?.Answer;
        return MathAnswerExtractor.FindMarked(reply)?.Answer
            ?? reply.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
    }

    /// <summary>
    /// The most common answer (ties to the earliest), or null when there is none. Math answers count together when
    /// <see cref="MathEquivalence"/> finds them equivalent (0.5 and <c>\frac{1}{2}</c>), factual ones when they normalise alike.
    /// </summary>
    public static string? Vote(IReadOnlyList<string?> answers, BenchmarkKind kind)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var groups = new List<(string First, int Count)>();
        foreach (var answer in answers)
        {
            if (string.IsNullOrWhiteSpace(answer))
                continue;
            var index = groups.FindIndex(g => Same(answer, g.First, kind));
            if (index < 0)
                groups.Add((answer, 1));
            else
                groups[index] = (groups[index].First, groups[index].Count + 1);
        }
        // The first group with the largest count: ties go to the earliest.
        return groups.Count == 0 ? null : groups.Aggregate((best, g) => g.Count > best.Count ? g : best).First;
    }

    private static bool Same(string answer, string other, BenchmarkKind kind) =>
        kind == BenchmarkKind.Math ? MathEquivalence.AreEquivalent(answer, other) : AnswerNormalizer.Normalize(answer) == AnswerNormalizer.Normalize(other);
}
