using System.Text;
using System.Text.Json;

namespace AgentKit.Retrieval.Corpus;

/// <summary>
/// Writes documents as a corpus file <see cref="CorpusReader"/> reads back: JSONL, or TSV laid out like wiki-18's
/// <c>psgs_w100.tsv</c> (header <c>id\ttext\ttitle</c>, text always in double quotes with quotes doubled).
/// </summary>
public static class CorpusWriter
{
    /// <summary>Streams <paramref name="documents"/> to <paramref name="path"/>; returns how many were written.</summary>
    public static long Write(IEnumerable<CorpusDocument> documents, string path, CorpusFormat format)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { NewLine = "\n" };
        if (format == CorpusFormat.Tsv)
            writer.WriteLine("id\ttext\ttitle");
        long count = 0;
        foreach (var document in documents)
        {
            writer.WriteLine(format == CorpusFormat.Tsv ? TsvLine(document) : JsonLine(document));
            count++;
        }
        return count;
    }

    private static string JsonLine(CorpusDocument d) =>
        $"{{\"id\":{JsonSerializer.Serialize(d.Id)},\"title\":{JsonSerializer.Serialize(d.Title)},\"text\":{JsonSerializer.Serialize(d.Text)}}}";

    private static string TsvLine(CorpusDocument d) => $"{TsvField(d.Id, always: false)}\t{TsvField(d.Text, always: true)}\t{TsvField(d.Title, always: false)}";

    private static string TsvField(string value, bool always) =>
        always || value.AsSpan().IndexOfAny('"', '\t', '\n') >= 0 || value.Contains('\r')
            ? "\"" + value.Replace("\"", "\"\"") + "\""
            : value;
}
