using AgentKit.Retrieval.Corpus;

namespace AgentKit.Retrieval.Tests.Corpus;

public sealed class CorpusReaderTests
{
    private static List<CorpusDocument> Read(string jsonl) =>
        new CorpusReader(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(jsonl)), "test.jsonl").ReadDocuments().ToList();

    [Fact]
    public void Reads_documents_in_order_and_skips_blank_lines()
    {
        var docs = Read("{\"id\":\"a\",\"title\":\"A\",\"text\":\"alpha\"}\n\n   \n{\"id\":\"b\",\"title\":\"\",\"text\":\"beta\"}\n");

        Assert.Equal([new CorpusDocument("a", "A", "alpha"), new CorpusDocument("b", "", "beta")], docs);
    }

    [Fact]
    public void Numeric_ids_are_read_as_their_literal_text()
    {
        var doc = Assert.Single(Read("{\"id\":42,\"title\":\"t\",\"text\":\"x\"}"));
        Assert.Equal("42", doc.Id);
    }

    [Theory]
    [InlineData("{\"id\":\"c\",\"title\":\"C\",\"text\":", "not valid JSON")]
    [InlineData("[1,2,3]", "expected a JSON object")]
    [InlineData("{\"id\":\"c\",\"title\":\"C\"}", "missing field \"text\"")]
    [InlineData("{\"title\":\"C\",\"text\":\"x\"}", "missing field \"id\"")]
    [InlineData("{\"id\":\"c\",\"title\":7,\"text\":\"x\"}", "field \"title\" must be a string, got a number")]
    [InlineData("{\"id\":\" \",\"title\":\"C\",\"text\":\"x\"}", "field \"id\" must not be empty")]
    public void Malformed_line_is_reported_with_its_line_number(string badLine, string expectedProblem)
    {
        var jsonl = "{\"id\":\"a\",\"title\":\"A\",\"text\":\"alpha\"}\n\n" + badLine + "\n{\"id\":\"z\",\"title\":\"Z\",\"text\":\"zeta\"}";

        var ex = Assert.Throws<CorpusFormatException>(() => Read(jsonl));

        Assert.Equal(3, ex.Line);
        Assert.Equal("test.jsonl", ex.CorpusName);
        Assert.Contains(expectedProblem, ex.Problem);
        Assert.StartsWith("test.jsonl, line 3: ", ex.Message);
    }

    [Fact]
    public void Duplicate_id_is_rejected_naming_both_lines()
    {
        var jsonl = "{\"id\":\"a\",\"title\":\"A\",\"text\":\"1\"}\n{\"id\":\"b\",\"title\":\"B\",\"text\":\"2\"}\n{\"id\":\"a\",\"title\":\"A2\",\"text\":\"3\"}";

        var ex = Assert.Throws<CorpusFormatException>(() => Read(jsonl));

        Assert.Equal(3, ex.Line);
        Assert.Contains("duplicate id \"a\" (first seen on line 1)", ex.Message);
    }

    [Fact]
    public void Missing_file_gives_a_clear_error()
    {
        var path = Path.Combine(Path.GetTempPath(), "agentkit-no-such-corpus-" + Guid.NewGuid().ToString("N") + ".jsonl");

        var ex = Assert.Throws<FileNotFoundException>(() => CorpusReader.OpenFile(path));

        Assert.Contains("Corpus file not found", ex.Message);
    }

    [Fact]
    public void Tracks_bytes_for_progress()
    {
        const string jsonl = "{\"id\":\"a\",\"title\":\"A\",\"text\":\"é\"}\r\n";
        using var reader = new CorpusReader(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(jsonl)), "t");

        _ = reader.ReadDocuments().ToList();

        Assert.Equal(reader.TotalBytes, reader.BytesRead);
        Assert.Equal(1, reader.LineNumber);
    }
}
