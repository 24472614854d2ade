using System.Text;
using Microsoft.Extensions.AI;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// How a <see cref="FrontierQuestion"/> is put to a language model and how its answer becomes an input: one format shared
/// by the campaign's model-written inputs (<c>fuzz --lm</c>), the hindsight SFT pairs and the <c>fuzz-distance</c> GRPO
/// reward, so a model trained on one is asked in the same words by the others.
/// </summary>
/// <remarks>
/// The user turn holds the slice in a <c>csharp</c> fence, the seed in a plain fence (labelled base64 when the seed is
/// not UTF-8) and the question's instruction. The answer is the content of the first fence in the completion, or the
/// whole completion when it has none; a base64 question's answer is decoded when it is valid base64.
/// </remarks>
public static class FrontierPrompt
{
    /// <summary>The system turn.</summary>
    public const string System =
        "You write inputs for a program under test. You are shown the decompiled C# that decides a branch no input has taken "
        + "yet and the input that comes closest. Reply with one new input in a ``` fence and nothing else.";

    /// <summary>The user turn for <paramref name="question"/>.</summary>
    public static string UserText(FrontierQuestion question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var text = new StringBuilder();
        text.Append("```csharp\n").Append(question.Slice.TrimEnd('\n')).Append("\n```\n");
        text.Append(question.SeedIsBase64 ? "Closest input (base64):\n```\n" : "Closest input:\n```\n");
        text.Append(question.Seed).Append("\n```\n");
        text.Append(question.Instruction);
        if (question.SeedIsBase64)
            text.Append(" Write the input as base64.");
        return text.ToString();
    }

    /// <summary>The system and user turns for <paramref name="question"/>.</summary>
    public static IReadOnlyList<ChatMessage> Messages(FrontierQuestion question) =>
        [new(ChatRole.System, System), new(ChatRole.User, UserText(question))];

    /// <summary>
    /// The turns that ask for an input with no question (<see cref="LanguageModel.LmSeedingOptions.GeneratedInputs"/>): the
    /// system turn alone, as the unconditioned SFT examples (corpus and documents) are written.
    /// </summary>
    public static IReadOnlyList<ChatMessage> GenerationMessages() => [new(ChatRole.System, System)];

    /// <summary>The answer an SFT example gives for <paramref name="input"/> (the inverse of <see cref="ExtractInput"/>).</summary>
    public static string AnswerText(byte[] input, bool base64)
    {
        ArgumentNullException.ThrowIfNull(input);
        return "```\n" + (base64 ? Convert.ToBase64String(input) : Encoding.UTF8.GetString(input)) + "\n```";
    }

    /// <summary>
    /// The input a completion proposes: the first fenced block's content (its info string dropped), else the whole text
    /// without a trailing newline; decoded from base64 when <paramref name="base64"/> and it is valid base64.
    /// </summary>
    public static byte[] ExtractInput(string completion, bool base64)
    {
        ArgumentNullException.ThrowIfNull(completion);
        var text = FencedContent(completion) ?? completion.TrimEnd('\n', '\r');
        if (base64)
        {
            var buffer = new byte[text.Length];
            if (Convert.TryFromBase64String(text.Trim(), buffer, out var written))
                return buffer[..written];
        }
        return Encoding.UTF8.GetBytes(text);
    }

    private static string? FencedContent(string completion)
    {
        var open = completion.IndexOf("```", StringComparison.Ordinal);
        if (open < 0)
            return null;
        var lineEnd = completion.IndexOf('\n', open);
        if (lineEnd < 0)
            return null;
        var close = completion.IndexOf("\n```", lineEnd, StringComparison.Ordinal);
        // An unclosed fence (a completion cut at the token limit) keeps everything after it.
        var content = close < 0 ? completion[(lineEnd + 1)..] : close == lineEnd ? "" : completion[(lineEnd + 1)..close];
        return content.TrimEnd('\r');
    }
}
