namespace AgentKit.Core.Scoring;

/// <summary>
/// SQuAD's word-overlap F1: the words of both texts after <see cref="AnswerNormalizer"/>, counted as multisets;
/// precision = common / answer words, recall = common / reference words.
/// </summary>
public static class TokenF1
{
    /// <summary>F1 of <paramref name="answer"/> against <paramref name="reference"/> in [0, 1]; 1 when both normalise to nothing.</summary>
    public static double Compute(string? answer, string? reference)
    {
        var given = Words(answer);
        var gold = Words(reference);
        if (given.Count == 0 || gold.Count == 0)
            return given.Count == gold.Count ? 1 : 0;
        var remaining = gold.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        var common = 0;
        foreach (var word in given)
        {
            if (remaining.TryGetValue(word, out var left) && left > 0)
            {
                remaining[word] = left - 1;
                common++;
            }
        }
        if (common == 0)
            return 0;
        var precision = (double)common / given.Count;
        var recall = (double)common / gold.Count;
        return 2 * precision * recall / (precision + recall);
    }

    private static List<string> Words(string? text) =>
        [.. AnswerNormalizer.Normalize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries)];
}
