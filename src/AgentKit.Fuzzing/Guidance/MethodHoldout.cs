using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// A held-out split of hindsight pairs by method (<see cref="FrontierQuestion.Method"/>): every pair of a held-out method
/// leaves the training side, so a test question is about code the model never saw an answer for. Which methods are held
/// out depends only on their names and the seed (a SHA-256 rank, not <see cref="string.GetHashCode()"/>, which changes
/// between processes), so the same campaign splits the same way on every machine.
/// </summary>
public static class MethodHoldout
{
    /// <summary>
    /// Splits <paramref name="pairs"/>: the distinct methods are ranked by <see cref="Rank"/> and the first
    /// round(<paramref name="fraction"/> × methods) are held out: at least one when the fraction is positive and there are
    /// two or more methods, never all of them (a training side must remain).
    /// </summary>
    /// <param name="pairs">The pairs, in corpus order (kept on both sides).</param>
    /// <param name="fraction">Share of the distinct methods to hold out, in [0, 1).</param>
    /// <param name="seed">Picks another set of methods for the same fraction.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is outside [0, 1).</exception>
    public static MethodHoldoutSplit Split(IReadOnlyList<HindsightPair> pairs, double fraction, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (!(fraction is >= 0 and < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be at least 0 and below 1");
        var methods = pairs.Select(p => p.Question.Method).Distinct(StringComparer.Ordinal).ToList();
        var count = (int)Math.Round(fraction * methods.Count, MidpointRounding.AwayFromZero);
        if (fraction > 0 && methods.Count >= 2)
            count = Math.Clamp(count, 1, methods.Count - 1);
        else if (methods.Count < 2)
            count = 0;
        var heldOut = methods.OrderBy(m => Rank(m, seed)).ThenBy(m => m, StringComparer.Ordinal).Take(count).ToHashSet(StringComparer.Ordinal);
        var train = pairs.Where(p => !heldOut.Contains(p.Question.Method)).ToList();
        var held = pairs.Where(p => heldOut.Contains(p.Question.Method)).ToList();
        return new MethodHoldoutSplit(train, held, methods.Count, heldOut);
    }

    /// <summary>The stable rank of <paramref name="method"/> under <paramref name="seed"/>: the first 8 bytes of SHA-256 of "seed:method".</summary>
    public static ulong Rank(string method, int seed)
    {
        ArgumentNullException.ThrowIfNull(method);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}:{method}"));
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}

/// <summary>The two sides of a <see cref="MethodHoldout.Split"/>.</summary>
/// <param name="Train">Pairs whose method is not held out (the SFT data and its questions).</param>
/// <param name="HeldOut">Pairs whose method is held out (the test questions, each with a known reachable answer).</param>
/// <param name="Methods">Distinct methods among all pairs.</param>
/// <param name="HeldOutMethods">The methods held out.</param>
public sealed record MethodHoldoutSplit(IReadOnlyList<HindsightPair> Train, IReadOnlyList<HindsightPair> HeldOut, int Methods,
    IReadOnlySet<string> HeldOutMethods);
