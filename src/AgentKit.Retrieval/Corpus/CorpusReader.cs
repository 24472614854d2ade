using System.Text;
using System.Text.Json;

namespace AgentKit.Retrieval.Corpus;

/// <summary>
/// Streams the documents of a JSONL corpus, one <c>{"id","title","text"}</c> object per line, validating
/// as it goes: a malformed line, a missing or non-string field, an empty id or a repeated id throws a
/// <see cref="CorpusFormatException"/> naming the line. Blank lines are skipped.
/// </summary>
public sealed class CorpusReader : IDisposable
{
    private readonly TextReader _reader;
    private readonly string _source;
    private bool _started;

    /// <summary>Reads from <paramref name="reader"/>; <paramref name="source"/> names it in error messages.</summary>
    public CorpusReader(TextReader reader, string source, long? totalBytes = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        _reader = reader;
        _source = source;
        TotalBytes = totalBytes;
    }

    /// <summary>Opens the corpus file at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static CorpusReader OpenFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Corpus file not found: {path}", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return new CorpusReader(new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true), path, stream.Length);
    }

    /// <summary>Size of the input in bytes, when known (for progress).</summary>
    public long? TotalBytes { get; }

    /// <summary>Approximate UTF-8 bytes consumed so far (for progress).</summary>
    public long BytesRead { get; private set; }

    /// <summary>Number of the last line read (1-based).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Reads the documents in order. Can be enumerated once.</summary>
    public IEnumerable<CorpusDocument> ReadDocuments()
    {
        if (_started)
            throw new InvalidOperationException("A corpus reader can be enumerated only once.");
        _started = true;
        return ReadCore();
    }

    private IEnumerable<CorpusDocument> ReadCore()
    {
        // id -> line of first occurrence, so a duplicate names both lines.
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        while (_reader.ReadLine() is { } line)
        {
            LineNumber++;
            BytesRead += Encoding.UTF8.GetByteCount(line) + 1;
            if (string.IsNullOrWhiteSpace(line))
                continue;

            var document = Parse(line);
            if (!seen.TryAdd(document.Id, LineNumber))
                throw Error($"duplicate id \"{document.Id}\" (first seen on line {seen[document.Id]}).");
            yield return document;
        }
    }

    private CorpusDocument Parse(string line)
    {
        JsonDocument json;
        try
        {
            json = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw Error($"not valid JSON ({ex.Message})", ex);
        }

        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                throw Error($"expected a JSON object with \"id\", \"title\" and \"text\", got {Describe(json.RootElement.ValueKind)}.");
            var id = RequiredString(json.RootElement, "id");
            if (id.Trim().Length == 0)
                throw Error("field \"id\" must not be empty.");
            return new CorpusDocument(id, RequiredString(json.RootElement, "title"), RequiredString(json.RootElement, "text"));
        }
    }

    private string RequiredString(JsonElement obj, string name)
    {
        if (!obj.TryGetProperty(name, out var value))
            throw Error($"missing field \"{name}\".");
        // Numeric ids are common in public corpora; accept them as their literal text.
        if (name == "id" && value.ValueKind == JsonValueKind.Number)
            return value.GetRawText();
        if (value.ValueKind != JsonValueKind.String)
            throw Error($"field \"{name}\" must be a string, got {Describe(value.ValueKind)}.");
        return value.GetString()!;
    }

    private CorpusFormatException Error(string problem, Exception? inner = null) => new(_source, LineNumber, problem, inner);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();
}
