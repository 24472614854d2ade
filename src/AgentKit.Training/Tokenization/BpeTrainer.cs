using System.Text;

namespace AgentKit.Training.Tokenization;

/// <summary>
/// Learns a byte-level BPE vocabulary from a corpus: words come from <see cref="Gpt2PreTokenizer"/>, and the most
/// frequent adjacent pair is merged until the target size (ties broken by the smaller token ids, so training is
/// deterministic). Ids: 0–255 the bytes, then merges in order, then special tokens.
/// </summary>
public static class BpeTrainer
{
    /// <summary>Trains on <paramref name="texts"/>; special-token strings inside them are not split into merges.</summary>
    public static ByteLevelBpeTokenizer Train(IEnumerable<string> texts, BpeTrainerOptions options, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        options.Validate();

        var wordCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            foreach (var fragment in text.Split(options.SpecialTokens.ToArray(), StringSplitOptions.None))
            {
                foreach (var word in Gpt2PreTokenizer.Split(fragment))
                    wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;
            }
        }

        var tokens = Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.Encode((byte)b).ToString()).ToList();
        var words = wordCounts.Select(p => (Symbols: Encoding.UTF8.GetBytes(p.Key).Select(b => (int)b).ToList(), Count: p.Value)).ToList();
        var merges = new List<(string, string)>();
        var target = options.VocabSize - options.SpecialTokens.Count;

        while (tokens.Count < target)
        {
            var pairCounts = new Dictionary<(int, int), long>();
            foreach (var (symbols, count) in words)
            {
                for (var i = 0; i < symbols.Count - 1; i++)
                {
                    var pair = (symbols[i], symbols[i + 1]);
                    pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + count;
                }
            }
            if (pairCounts.Count == 0)
                break;
            var best = pairCounts.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2).First();
            if (best.Value < options.MinFrequency)
                break;
            var (left, right) = best.Key;
            var merged = tokens[left] + tokens[right];
            var newId = tokens.Count;
            tokens.Add(merged);
            merges.Add((tokens[left], tokens[right]));
            foreach (var (symbols, _) in words)
            {
                for (var i = 0; i < symbols.Count - 1; i++)
                {
                    if (symbols[i] == left && symbols[i + 1] == right)
                    {
                        symbols[i] = newId;
                        symbols.RemoveAt(i + 1);
                    }
                }
            }
            progress?.Report((double)(tokens.Count - 256) / Math.Max(1, target - 256));
        }

        tokens.AddRange(options.SpecialTokens);
        return new ByteLevelBpeTokenizer(tokens, merges, options.SpecialTokens);
    }
}
