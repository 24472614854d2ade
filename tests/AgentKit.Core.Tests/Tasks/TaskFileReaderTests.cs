using AgentKit.Core.Tasks;

namespace AgentKit.Core.Tests.Tasks;

public class TaskFileReaderTests
{
    [Fact]
    public void Reads_jsonl()
    {
        var read = TaskFileReader.Parse("""
            {"id":"a","question":"2+2?","answer":"4"}
            {"question":"Capital of France?","answer":["Paris","paris"]}
            {"id":"c","question":"n?","answer":12}

            """);
        Assert.Equal(3, read.Tasks.Count);
        Assert.Equal(new("a", "2+2?", "4"), read.Tasks[0]);
        Assert.Equal(new("2", "Capital of France?", "Paris"), read.Tasks[1]);
        Assert.Equal("12", read.Tasks[2].ReferenceAnswer);
        Assert.Empty(read.Skipped); // the newline that ends the file is no blank line
        Assert.Empty(read.Warnings());
    }

    [Fact]
    public void Reads_the_paper_format_and_bare_arrays()
    {
        var paper = TaskFileReader.Parse("""{"examples":[{"question":"q1","answer":"a1","extra":1},{"question":"q2","answer":"a2"}]}""");
        Assert.Equal([new("1", "q1", "a1"), new("2", "q2", "a2")], paper.Tasks);
        var array = TaskFileReader.Parse("""[{"id":"x","question":"q"}]""");
        Assert.Null(Assert.Single(array.Tasks).ReferenceAnswer);
    }

    [Fact]
    public void Bad_lines_are_skipped_and_reported_and_the_rest_is_kept()
    {
        var text = string.Join('\n',
            """{"id":"a","question":"q1","answer":"1"}""",   // 1
            "",                                                   // 2 blank
            """{"id":"b","question":"","answer":"2"}""",     // 3 empty question
            """{"id":"c","question":"q3""",                    // 4 malformed JSON
            """{"id":"d","answer":"4"}""",                     // 5 no question
            """["not","an","object"]""",                         // 6 not an object
            """{"id":"a","question":"again"}""",             // 7 repeated id
            """{"id":"e","question":"   "}""",               // 8 blank question
            """{"id":"f","question":"q9","answer":"9"}""") + "\n"; // 9
        var read = TaskFileReader.Parse(text, "t.jsonl");

        Assert.Equal(["a", "f"], read.Tasks.Select(t => t.Id));
        Assert.Equal([2, 3, 4, 5, 6, 7, 8], read.Skipped.Select(s => s.Line));
        Assert.Equal("blank line", read.Skipped[0].Reason);
        Assert.Equal("\"question\" is empty", read.Skipped[1].Reason);
        Assert.StartsWith("invalid JSON", read.Skipped[2].Reason);
        Assert.Equal("missing \"question\"", read.Skipped[3].Reason);
        Assert.Contains("expected an object", read.Skipped[4].Reason);
        Assert.Equal("id \"a\" already used by line 1", read.Skipped[5].Reason);
        Assert.Equal("\"question\" is empty", read.Skipped[6].Reason);

        var warnings = read.Warnings();
        Assert.Equal("t.jsonl: line 3 skipped: \"question\" is empty", warnings[1]);
        Assert.Equal("t.jsonl: 7 line(s) skipped (2, 3, 4, 5, 6, 7, 8); 2 task(s) read.", warnings[^1]);
    }

    [Fact]
    public void Bad_examples_of_a_json_document_are_skipped_by_position()
    {
        var read = TaskFileReader.Parse("""{"examples":[{"question":"q1"},{"question":""},3,{"question":"q4"}]}""", "paper.json");
        Assert.Equal(["1", "4"], read.Tasks.Select(t => t.Id));
        Assert.Equal([2, 3], read.Skipped.Select(s => s.Line));
        Assert.Equal("paper.json: example 2 skipped: \"question\" is empty", read.Warnings()[0]);
    }

    [Fact]
    public void Many_skipped_lines_are_summarised()
    {
        var text = string.Join('\n', Enumerable.Range(0, 30).Select(_ => "{}").Append("""{"question":"q"}"""));
        var warnings = TaskFileReader.Parse(text, "t.jsonl").Warnings(maxLines: 5);
        Assert.Equal(7, warnings.Count);
        Assert.Equal("t.jsonl: … and 25 more skipped lines.", warnings[5]);
        Assert.Equal("t.jsonl: 30 line(s) skipped (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …); 1 task(s) read.", warnings[6]);
    }

    [Fact]
    public void The_shipped_atlas_test_questions_read_with_the_empty_question_skipped()
    {
        var path = Path.Combine(Definitions.AgentDefinitionLoaderTests.RepoRoot(), "agents", "atlas", "questions", "test.jsonl");
        var lines = File.ReadAllLines(path);
        var read = TaskFileReader.Read(path);
        var skipped = Assert.Single(read.Skipped);
        Assert.Equal("\"question\" is empty", skipped.Reason);
        Assert.Contains("\"question\":\"\"", lines[skipped.Line - 1]);
        Assert.Equal(lines.Length - 1, read.Tasks.Count);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(" \n\n", "empty")]
    [InlineData("{\"answer\":\"a\"}", "no usable task: all 1 line(s) skipped (missing \"question\" at line 1)")]
    [InlineData("not json\n{\"question\":\"\"}", "no usable task: all 2 line(s) skipped (invalid JSON")]
    [InlineData("{\"examples\":[{\"question\":\" \"}]}", "no usable task: all 1 example(s) skipped")]
    [InlineData("{\"examples\":{}}", "must be an array")]
    [InlineData("[1, 2", "invalid JSON")]
    [InlineData("[]", "no tasks")]
    public void Files_without_a_usable_task_explain_themselves(string text, string expected) =>
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => TaskFileReader.Parse(text)).Message);
}
