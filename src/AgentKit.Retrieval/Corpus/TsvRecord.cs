using System.Text;

namespace AgentKit.Retrieval.Corpus;

/// <summary>
/// The columns of a TSV corpus (from its header) and the splitting of its records. A field that starts with a double
/// quote runs to the matching quote, may span tabs and lines, and holds <c>""</c> for one quote (wiki-18's quoting).
/// </summary>
internal sealed class TsvRecord
{
    private readonly int _id;
    private readonly int _text;
    private readonly int _title;
    private readonly string[] _fields;
    private readonly StringBuilder _field = new();

    private TsvRecord(int columns, int id, int text, int title)
    {
        _fields = new string[columns];
        _id = id;
        _text = text;
        _title = title;
    }

    /// <summary>Reads the header; it must name the columns <c>id</c>, <c>text</c> and <c>title</c> (any order, extra columns ignored).</summary>
    public static TsvRecord FromHeader(string header, Func<string, Exception?, Exception> error)
    {
        var names = header.Split('\t').Select(n => n.Trim().Trim('"').ToLowerInvariant()).ToList();
        int Column(string name) => names.IndexOf(name) is var i and >= 0
            ? i
            : throw error($"the header must name the columns id, text and title (tab-separated); got \"{header}\".", null);
        return new TsvRecord(names.Count, Column("id"), Column("text"), Column("title"));
    }

    /// <summary>Parses the record starting with <paramref name="line"/>; <paramref name="nextLine"/> supplies the lines a quoted field spans.</summary>
    public CorpusDocument Parse(string line, Func<string?> nextLine, Func<string, Exception?, Exception> error)
    {
        var count = 0;
        var i = 0;
        while (true)
        {
            if (count == _fields.Length)
                throw error($"expected {_fields.Length} tab-separated fields, got more.", null);
            _field.Clear();
            if (i < line.Length && line[i] == '"')
                (line, i) = ReadQuoted(line, i + 1, nextLine, error);
            var tab = line.IndexOf('\t', i);
            var end = tab < 0 ? line.Length : tab;
            _field.Append(line, i, end - i); // text after a closing quote is kept, as lenient CSV readers do
            _fields[count++] = _field.ToString();
            if (tab < 0)
                break;
            i = tab + 1;
        }
        if (count != _fields.Length)
            throw error($"expected {_fields.Length} tab-separated fields, got {count}.", null);
        var id = _fields[_id].Trim();
        if (id.Length == 0)
            throw error("field \"id\" must not be empty.", null);
        return new CorpusDocument(id, _fields[_title], _fields[_text]);
    }

    /// <summary>Appends a quoted field's content to <see cref="_field"/>; returns the line and index just after the closing quote.</summary>
    private (string Line, int Next) ReadQuoted(string line, int i, Func<string?> nextLine, Func<string, Exception?, Exception> error)
    {
        while (true)
        {
            var quote = line.IndexOf('"', i);
            if (quote < 0)
            {
                _field.Append(line, i, line.Length - i).Append('\n');
                line = nextLine() ?? throw error("a quoted field is not closed before the end of the file.", null);
                i = 0;
                continue;
            }
            _field.Append(line, i, quote - i);
            if (quote + 1 < line.Length && line[quote + 1] == '"')
            {
                _field.Append('"');
                i = quote + 2;
                continue;
            }
            return (line, quote + 1);
        }
    }
}
