using System.Globalization;
using System.Text;

namespace AgentKit.Atlas.Data;

/// <summary>FNV-1a over UTF-8: a hash that, unlike <see cref="string.GetHashCode()"/>, is the same in every process and version.</summary>
internal static class StableHash
{
    public static uint Of(string text) => Of(text, 0);


    /// <summary>Hash of <paramref name="text"/> mixed with <paramref name="seed"/>.</summary>
    public static uint Of(string text, int seed)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seed}:{text}")))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        return hash;
    }
}
