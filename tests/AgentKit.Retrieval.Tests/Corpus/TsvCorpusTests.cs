using System.Text;
using AgentKit.Retrieval.Corpus;

namespace AgentKit.Retrieval.Tests.Corpus;

public sealed class TsvCorpusTests
{
    private static CorpusReader Reader(string tsv) => new(new MemoryStream(Encoding.UTF8.GetBytes(tsv)), "psgs.tsv", CorpusFormat.Tsv);

    [Fact]
    public void Reads_wiki18_quoting_doubled_quotes_tabs_and_newlines()
    {
        const string tsv = "id\ttext\ttitle\n" +
                           "1\t\"Aaron ( or ; \"\"Ahärôn\"\") is a prophet\"\tAaron\n" +
                           "2\t\"a\ttab and a\nsecond line\"\t\"Quoted, \"\"title\"\"\"\n" +
                           "3\tplain text\tPlain\r\n";

        using var reader = Reader(tsv);
        var docs = reader.ReadDocuments().ToList();

        Assert.Equal(
        [
            new CorpusDocument("1", "Aaron", "Aaron ( or ; \"Ahärôn\") is a prophet"),
            new CorpusDocument("2", "Quoted, \"title\"", "a\ttab and a\nsecond line"),
            new CorpusDocument("3", "Plain", "plain text"),
        ], docs);
        Assert.Equal(5, reader.LineNumber);
        Assert.Equal(Encoding.UTF8.GetByteCount(tsv), reader.BytesRead);
    }

    [Fact]
    public void Columns_are_found_by_header_name()
    {
        using var reader = Reader("title\tid\ttext\nLima\tlima\tcapital of Peru\n");
        Assert.Equal(new CorpusDocument("lima", "Lima", "capital of Peru"), Assert.Single(reader.ReadDocuments()));
    }

    [Theory]
    [InlineData("id\ttext\n1\tx\n", 1, "must name the columns id, text and title")]
    [InlineData("id\ttext\ttitle\n1\tx\n", 2, "expected 3 tab-separated fields, got 2")]
    [InlineData("id\ttext\ttitle\n1\tx\tA\textra\n", 2, "got more")]
    [InlineData("id\ttext\ttitle\n1\t\"never closed\tA\nnext\n", 3, "not closed before the end of the file")]
    [InlineData("id\ttext\ttitle\n \tx\tA\n", 2, "\"id\" must not be empty")]
    public void Bad_records_name_the_line(string tsv, long line, string problem)
    {
        using var reader = Reader(tsv);
        var ex = Assert.Throws<CorpusFormatException>(() => reader.ReadDocuments().ToList());
        Assert.Equal(line, ex.Line);
        Assert.Contains(problem, ex.Problem);
    }

    [Fact]
    public void A_reader_started_at_a_position_continues_where_another_stopped()
    {
        var documents = Enumerable.Range(1, 9).Select(i => new CorpusDocument($"{i}", $"T{i}", $"text \"{i}\"\nwith a second line")).ToList();
        var path = Path.Combine(Path.GetTempPath(), $"agentkit-tsv-{Guid.NewGuid():N}.tsv");
        try
        {
            CorpusWriter.Write(documents, path, CorpusFormat.Tsv);
            CorpusPosition position;
            using (var first = CorpusReader.OpenFile(path))
            {
                Assert.Equal(documents.Take(4), first.ReadDocuments().Take(4));
                position = first.Position;
            }

            using var second = CorpusReader.OpenFile(path, start: position);
            Assert.Equal(documents.Skip(4), second.ReadDocuments());
            Assert.Equal(1 + 9 * 2, second.LineNumber); // header + two lines per record: line numbers carry over
        }
        finally
        {
            File.Delete(path);
        }
    }
}
