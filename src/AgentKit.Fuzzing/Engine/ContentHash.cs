using System.Security.Cryptography;

namespace AgentKit.Fuzzing.Engine;

/// <summary>The short content hash that names corpus files and deduplicates inputs (engine and in-process worker alike).</summary>
internal static class ContentHash
{
    /// <summary>First 16 hex digits of the SHA-1 of <paramref name="data"/>.</summary>
    public static string Of(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA1.HashData(data))[..16];
}
