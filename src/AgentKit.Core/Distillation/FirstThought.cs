using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using Microsoft.Extensions.AI;

namespace AgentKit.Core.Distillation;

/// <summary>
/// First-thought prefix (agent-distillation paper): ask the teacher to reason about the question in plain
/// chain-of-thought, keep the first paragraph of its reply, and force that paragraph as the start of the
/// first agent step (<see cref="Running.AgentRunSettings.FirstThoughtPrefix"/>), so the recorded agent
/// trajectory opens with the teacher's high-level reasoning rather than an immediate tool call.
/// </summary>
public static class FirstThought
{
    /// <summary>The system message of the chain-of-thought request.</summary>
    public const string ChainOfThoughtInstructions =
        "Think step by step about how to answer the question. Write your reasoning in short paragraphs, then the answer.";

    /// <summary>The chain-of-thought prompt for <paramref name="question"/>.</summary>
    public static IReadOnlyList<PromptMessage> Prompt(string question) =>
        [new(PromptRoles.System, ChainOfThoughtInstructions), new(PromptRoles.User, question)];

    /// <summary>Asks <paramref name="teacher"/> for its chain of thought and returns the first paragraph, or null when it gave none.</summary>
    public static async Task<string?> GetAsync(ICandidateGenerator teacher, string question, float temperature, int? seed, int maxTokens, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        var request = new CandidateRequest
        {
            Messages = Prompt(question).Select(m => new ChatMessage(new ChatRole(m.Role), m.Content)).ToList(),
            N = 1,
            Temperature = temperature,
            Seed = seed,
            MaxTokens = maxTokens,
        }.Validate();
        var result = await teacher.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
        return result.Candidates.Count == 0 ? null : FirstParagraph(result.Candidates[0].Text);
    }

    /// <summary>The first non-empty paragraph (text up to the first blank line), without a leading "Thought:" label.</summary>
    public static string? FirstParagraph(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var paragraph = text.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(p => p.Length > 0);
        if (paragraph is null)
            return null;
        if (paragraph.StartsWith("Thought:", StringComparison.OrdinalIgnoreCase))
            paragraph = paragraph["Thought:".Length..].Trim();
        return paragraph.Length == 0 ? null : paragraph;
    }
}
