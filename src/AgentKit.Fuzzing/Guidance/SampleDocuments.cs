using AgentKit.Fuzzing.Engine;
using System.Text;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Sample documents of the target's input language (real files a user has: API payloads, pages, configs), cut into
/// pieces an input writer can write in one answer. A writer trained only on what the fuzzer found cannot write what the
/// fuzzer never found; documents are how a user gives a small writer the knowledge a pretrained model would bring.
/// </summary>
public static class SampleDocuments
{
    /// <summary>The default longest piece in bytes: about what a writer writes in 96 to 200 tokens.</summary>
    public const int DefaultMaxBytes = 256;

    /// <summary>
    /// The pieces of every file under <paramref name="directory"/> (recursively, in ordinal path order), each file split
    /// by <see cref="Pieces"/>, each distinct piece once (where it first occurs). Empty files give nothing. Pages of one
    /// site or manual share their boilerplate (the same head, navigation and footer); kept once a page, it would outweigh
    /// what the pages say in a writer's training data.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static List<byte[]> Read(string directory, int maxBytes = DefaultMaxBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"no folder {directory}");
        return Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .SelectMany(path => Pieces(File.ReadAllBytes(path), maxBytes))
            .DistinctBy(piece => ContentHash.Of(piece), StringComparer.Ordinal) // the key the corpus deduplicates inputs by
            .ToList();
    }

    /// <summary>
    /// A document cut at line ends into pieces of at most <paramref name="maxBytes"/> bytes: consecutive lines go together
    /// while they fit (a fragment that keeps its lines whole reads like the document), and a line longer than that gives
    /// its first <paramref name="maxBytes"/> bytes, ending on a whole UTF-8 character (its start is what a parser reads
    /// first). A piece ends without its last line end (as an input file usually does: a line-oriented parser may refuse
    /// it); pieces that are only white space are left out.
    /// </summary>
    public static IEnumerable<byte[]> Pieces(byte[] document, int maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var piece = new List<byte>();
        foreach (var line in Lines(document))
        {
            if (piece.Count + line.Length > maxBytes && piece.Count > 0)
            {
                if (Kept(piece) is { } full)
                    yield return full;
                piece.Clear();
            }
            piece.AddRange(line.Length > maxBytes ? line[..Utf8Prefix(line, maxBytes)] : line);
        }
        if (Kept(piece) is { } last)
            yield return last;
    }

    private static byte[]? Kept(List<byte> piece)
    {
        if (!piece.Any(b => b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')))
            return null;
        var end = piece.Count;
        if (piece[end - 1] == '\n')
            end -= end > 1 && piece[end - 2] == '\r' ? 2 : 1;
        return piece.GetRange(0, end).ToArray();
    }

    // Each line with its '\n' (the last one may have none).
    private static IEnumerable<byte[]> Lines(byte[] document)
    {
        var start = 0;
        while (start < document.Length)
        {
            var end = Array.IndexOf(document, (byte)'\n', start);
            end = end < 0 ? document.Length : end + 1;
            yield return document[start..end];
            start = end;
        }
    }

    // The longest prefix of at most max bytes that does not end inside a UTF-8 character (a continuation byte is 10xxxxxx).
    private static int Utf8Prefix(byte[] line, int max)
    {
        var cut = max;
        while (cut > 0 && cut < line.Length && (line[cut] & 0xC0) == 0x80)
            cut--;
        return cut > 0 ? cut : max; // not UTF-8 at all: bytes are bytes
    }
}
