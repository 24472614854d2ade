using System.Security.Cryptography;

namespace AgentKit.Retrieval.Corpus;

/// <summary>
/// Identifies a corpus file cheaply: its size and the SHA-256 of its first MiB. A resumed index build compares it
/// with the one it started from, so it never continues over a file that was replaced, edited or regenerated.
/// </summary>
/// <param name="SizeBytes">File size in bytes.</param>
/// <param name="HeadSha256">Lower-case hex SHA-256 of the first <see cref="HeadBytes"/> bytes.</param>
public sealed record CorpusFingerprint(long SizeBytes, string HeadSha256)
{
    /// <summary>How much of the file is hashed.</summary>
    public const int HeadBytes = 1 << 20;

    /// <summary>Fingerprints the file at <paramref name="path"/>.</summary>
    public static CorpusFingerprint Of(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[(int)Math.Min(HeadBytes, stream.Length)];
        stream.ReadExactly(head);
        return new CorpusFingerprint(stream.Length, Convert.ToHexStringLower(SHA256.HashData(head)));
    }
}
