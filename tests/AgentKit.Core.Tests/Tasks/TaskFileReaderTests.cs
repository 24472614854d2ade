using AgentKit.Core.Tasks;

namespace AgentKit.Core.Tests.Tasks;

public class TaskFileReaderTests
{
    [Fact]
    public void Reads_jsonl()
    {
        var tasks = TaskFileReader.Parse("""
            {"id":"a","question":"2+2?","answer":"4"}

            {"question":"Capital of France?","answer":["Paris","paris"]}
            {"id":"c","question":"n?","answer":12}
            """);
        Assert.Equal(3, tasks.Count);
        Assert.Equal(new("a", "2+2?", "4"), tasks[0]);
        Assert.Equal(new("2", "Capital of France?", "Paris"), tasks[1]);
        Assert.Equal("12", tasks[2].ReferenceAnswer);
    }

    [Fact]
    public void Reads_the_paper_format_and_bare_arrays()
    {
        var paper = TaskFileReader.Parse("""{"examples":[{"question":"q1","answer":"a1","extra":1},{"question":"q2","answer":"a2"}]}""");
        Assert.Equal([new("1", "q1", "a1"), new("2", "q2", "a2")], paper);
        var array = TaskFileReader.Parse("""[{"id":"x","question":"q"}]""");
        Assert.Null(Assert.Single(array).ReferenceAnswer);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"question\":\"q\"}\nnot json", ":2: invalid JSON")]
    [InlineData("{\"answer\":\"a\"}", "missing \"question\"")]
    [InlineData("{\"examples\":{}}", "must be an array")]
    [InlineData("{\"id\":\"1\",\"question\":\"a\"}\n{\"id\":\"1\",\"question\":\"b\"}", "appears 2 times")]
    [InlineData("[]", "no tasks")]
    public void Bad_files_explain_themselves(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => TaskFileReader.Parse(text)).Message);
}
