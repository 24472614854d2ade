namespace AgentKit.Retrieval.Corpus;

/// <summary>
/// Streams the documents of a corpus in <see cref="CorpusFormat.Jsonl"/> or <see cref="CorpusFormat.Tsv"/>, validating as
/// it goes: a malformed record, a missing field, an empty id or (unless turned off) a repeated id throws a
/// <see cref="CorpusFormatException"/> naming the line. Blank lines are skipped. Memory does not grow with the corpus,
/// except for the set of ids seen when duplicate ids are checked. <see cref="Position"/> is exact, so a reader can be
/// opened again where an earlier one stopped.
/// </summary>
public sealed class CorpusReader : IDisposable
{
    private readonly Utf8LineReader _lines;
    private readonly string _source;
    private readonly CorpusFormat _format;
    private readonly CorpusPosition _start;
    private readonly bool _checkDuplicateIds;
    private bool _started;

    /// <summary>Reads from <paramref name="stream"/>; <paramref name="source"/> names it in error messages.</summary>
    /// <param name="stream">The corpus bytes (UTF-8). Must be seekable when <paramref name="start"/> is not the start.</param>
    /// <param name="source">Name of the corpus in error messages (usually its path).</param>
    /// <param name="format">How records are stored.</param>
    /// <param name="start">Where to begin; a TSV header is still read from the start of the stream.</param>
    /// <param name="checkDuplicateIds">
    /// Remember every id to reject repeats, naming both lines. Memory grows with the corpus; turn it off for a
    /// wiki-sized corpus and check uniqueness elsewhere (the index builder checks its id terms).
    /// </param>
    public CorpusReader(Stream stream, string source, CorpusFormat format = CorpusFormat.Jsonl, CorpusPosition start = default, bool checkDuplicateIds = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (start.ByteOffset < 0 || start.LineNumber < 0)
            throw new ArgumentOutOfRangeException(nameof(start), start, "A corpus position is never negative.");
        if (start.ByteOffset > 0 && !stream.CanSeek)
            throw new ArgumentException("Starting past the beginning needs a seekable stream.", nameof(stream));
        _lines = new Utf8LineReader(stream, 0);
        _source = source;
        _format = format;
        _start = start;
        _checkDuplicateIds = checkDuplicateIds;
        TotalBytes = stream.CanSeek ? stream.Length : null;
        Position = start;
    }

    /// <summary>Opens the corpus file at <paramref name="path"/>; the format defaults to <see cref="CorpusFormats.FromPath"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static CorpusReader OpenFile(string path, CorpusFormat? format = null, CorpusPosition start = default, bool checkDuplicateIds = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Corpus file not found: {path}", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return new CorpusReader(stream, path, format ?? CorpusFormats.FromPath(path), start, checkDuplicateIds);
    }

    /// <summary>Size of the input in bytes, when known (for progress).</summary>
    public long? TotalBytes { get; }

    /// <summary>Bytes consumed by the documents read so far (exact; for progress).</summary>
    public long BytesRead => Position.ByteOffset;

    /// <summary>Number of the last line read (1-based).</summary>
    public long LineNumber { get; private set; }

    /// <summary>Just after the last document returned: where a later reader continues.</summary>
    public CorpusPosition Position { get; private set; }

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
        var tsv = _format == CorpusFormat.Tsv ? ReadHeader() : null;
        if (_start.ByteOffset > _lines.Position)
            _lines.Seek(_start.ByteOffset);
        LineNumber = Math.Max(LineNumber, _start.LineNumber);

        // id -> line of first occurrence, so a duplicate names both lines.
        var seen = _checkDuplicateIds ? new Dictionary<string, long>(StringComparer.Ordinal) : null;
        while (_lines.ReadLine() is { } line)
        {
            LineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;

            var firstLine = LineNumber;
            var document = tsv is null ? JsonlRecord.Parse(line, Error) : tsv.Parse(line, NextLine, Error);
            if (seen is not null && !seen.TryAdd(document.Id, firstLine))
                throw Error($"duplicate id \"{document.Id}\" (first seen on line {seen[document.Id]}).", null);
            Position = new CorpusPosition(_lines.Position, LineNumber);
            yield return document;
        }
        Position = new CorpusPosition(_lines.Position, LineNumber);
    }

    private TsvRecord ReadHeader()
    {
        while (_lines.ReadLine() is { } line)
        {
            LineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
                return TsvRecord.FromHeader(line, Error);
        }
        throw Error("the file is empty; a TSV corpus starts with the header id, text, title.", null);
    }

    private string? NextLine()
    {
        var line = _lines.ReadLine();
        if (line is not null)
            LineNumber++;
        return line;
    }

    private CorpusFormatException Error(string problem, Exception? inner) => new(_source, LineNumber, problem, inner);

    /// <inheritdoc />
    public void Dispose() => _lines.Dispose();
}
