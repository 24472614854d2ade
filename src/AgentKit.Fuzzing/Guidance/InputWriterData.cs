using System.Text;
using System.Text.Json.Nodes;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Training data for the input-writing model in the formats <c>agentkit train</c> reads: hindsight pairs as SFT chat
/// JSONL (<c>messages</c>: <see cref="FrontierPrompt"/>'s system and user turns, the input as the assistant's fenced
/// answer), and the warm start on the target's own corpus: its text inputs as plain text (for <c>train tokenizer</c>)
/// and as SFT examples whose only turns are the system prompt and the fenced input (the input language, unconditioned).
/// </summary>
public static class InputWriterData
{
    /// <summary>One SFT line for <paramref name="pair"/>, or null when its answer cannot be written (see <see cref="HindsightPair.AnswerText"/>).</summary>
    public static string? SftLine(HindsightPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return pair.AnswerText() is { } answer
            ? Line(("system", FrontierPrompt.System), ("user", FrontierPrompt.UserText(pair.Question)), ("assistant", answer))
            : null;
    }

    /// <summary>Writes the SFT lines of <paramref name="pairs"/>; returns how many were written (pairs whose answer cannot be written are left out).</summary>
    public static int WriteSft(string path, IEnumerable<HindsightPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var lines = pairs.Select(SftLine).OfType<string>().ToList();
        File.WriteAllLines(path, lines);
        return lines.Count;
    }

    /// <summary>The corpus of the campaign in <paramref name="campaignDirectory"/> (<c>corpus/</c>) in the order it was found (modification time, then name).</summary>
    public static IReadOnlyList<byte[]> CampaignCorpus(string campaignDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(campaignDirectory);
        return CampaignBlocks.ReadCorpus(campaignDirectory);
    }

    /// <summary>
    /// The inputs of <paramref name="corpus"/> as text, in order: each invalid UTF-8 sequence as U+FFFD, which is what a text
    /// harness reads (<see cref="TextForm"/>) and how questions show such seeds.
    /// </summary>
    public static IEnumerable<string> TextInputs(IEnumerable<byte[]> corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        return corpus.Select(input => Encoding.UTF8.GetString(input));
    }

    /// <summary>Writes the corpus's text inputs separated by blank lines (a tokenizer's training text); returns how many.</summary>
    public static int WriteCorpusText(string path, IEnumerable<byte[]> corpus)
    {
        var inputs = TextInputs(corpus).ToList();
        File.WriteAllText(path, string.Join("\n\n", inputs) + (inputs.Count > 0 ? "\n" : ""));
        return inputs.Count;
    }

    /// <summary>Writes one SFT example per text input of the corpus: the system prompt, then the input as a fenced answer; returns how many.</summary>
    public static int WriteCorpusSft(string path, IEnumerable<byte[]> corpus)
    {
        var lines = TextInputs(corpus).Select(text => Line(("system", FrontierPrompt.System), ("assistant", FrontierPrompt.AnswerText(Encoding.UTF8.GetBytes(text), false)))).ToList();
        File.WriteAllLines(path, lines);
        return lines.Count;
    }

    private static string Line(params (string Role, string Content)[] messages) =>
        new JsonObject
        {
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content })]),
        }.ToJsonString();
}
