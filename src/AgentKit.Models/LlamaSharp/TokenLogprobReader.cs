using System.Text;
using AgentKit.Abstractions.Models;
using LLama;
using LLama.Native;

namespace AgentKit.Models.LlamaSharp;

/// <summary>
/// Turns one position's logits into a <see cref="TokenLogprob"/>: the log-softmax of the raw logits (the model's
/// own distribution, before temperature, top-p or a grammar reshape it, as llama.cpp server reports by default),
/// for the sampled token and the <c>top</c> most likely tokens.
/// </summary>
internal sealed class TokenLogprobReader(LLamaWeights weights, int top)
{
    public TokenLogprob Read(ReadOnlySpan<float> logits, LLamaToken chosen)
    {
        var max = float.NegativeInfinity;
        foreach (var logit in logits)
            max = Math.Max(max, logit);
        var sum = 0.0;
        foreach (var logit in logits)
            sum += Math.Exp(logit - max);
        var logNormaliser = max + Math.Log(sum);

        var alternatives = new List<TokenLogprob>(top);
        foreach (var id in TopIndices(logits, top))
            alternatives.Add(Token((LLamaToken)id, logits[id] - logNormaliser, []));
        return Token(chosen, logits[(int)chosen] - logNormaliser, alternatives);
    }

    /// <summary>Indices of the <paramref name="count"/> largest logits, largest first (insertion into a short sorted list).</summary>
    private static List<int> TopIndices(ReadOnlySpan<float> logits, int count)
    {
        var best = new List<int>(count + 1);
        if (count == 0)
            return best;
        for (var i = 0; i < logits.Length; i++)
        {
            if (best.Count == count && logits[i] <= logits[best[^1]])
                continue;
            var at = best.Count;
            while (at > 0 && logits[best[at - 1]] < logits[i])
                at--;
            best.Insert(at, i);
            if (best.Count > count)
                best.RemoveAt(count);
        }
        return best;
    }

    private TokenLogprob Token(LLamaToken token, double logprob, IReadOnlyList<TokenLogprob> alternatives)
    {
        Span<byte> buffer = stackalloc byte[128];
        var length = (int)weights.NativeHandle.TokenToSpan(token, buffer, 0, special: true);
        var bytes = length <= buffer.Length ? buffer[..length].ToArray() : Larger(token, length);
        return new TokenLogprob(Encoding.UTF8.GetString(bytes), bytes, logprob, alternatives);
    }

    private byte[] Larger(LLamaToken token, int length)
    {
        var bytes = new byte[length];
        weights.NativeHandle.TokenToSpan(token, bytes, 0, special: true);
        return bytes;
    }
}
