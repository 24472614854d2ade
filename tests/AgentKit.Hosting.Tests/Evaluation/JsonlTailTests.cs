using System.Text.Json;
using AgentKit.Hosting.Evaluation;
using AgentKit.TestUtils;

namespace AgentKit.Hosting.Tests.Evaluation;

/// <summary>Repairing the end of a JSONL file before appending: cut a torn line, complete a whole one, keep every complete line.</summary>
public sealed class JsonlTailTests
{
    private static bool IsJson(string line)
    {
        using var _ = JsonDocument.Parse(line);
        return true;
    }

    [Theory]
    [InlineData("{\"a\":1}\n{\"b\":2}\n{\"c\":", "{\"a\":1}\n{\"b\":2}\n", true)]   // torn: cut off
    [InlineData("{\"a\":1}\n{\"b\":2}", "{\"a\":1}\n{\"b\":2}\n", false)]        // whole but unterminated: completed
    [InlineData("{\"a\":1}\n", "{\"a\":1}\n", false)]                             // intact: untouched
    [InlineData("{\"tor", "", true)]                                             // the only line is torn
    public void The_last_line_is_cut_completed_or_left(string content, string expected, bool warns)
    {
        var path = TinyModels.TempPath("tail.jsonl");
        File.WriteAllText(path, content);

        var warning = JsonlTail.Repair(path, IsJson);

        Assert.Equal(expected, File.ReadAllText(path));
        Assert.Equal(warns, warning is not null);
        if (warns)
            Assert.Contains($"{content.Length - expected.Length} bytes", warning);
    }

    [Fact]
    public void A_torn_line_longer_than_the_read_buffer_is_found()
    {
        var path = TinyModels.TempPath("long.jsonl");
        var complete = "{\"a\":\"" + new string('x', 10_000) + "\"}\n";
        File.WriteAllText(path, complete + "{\"b\":\"" + new string('y', 9_000));

        Assert.NotNull(JsonlTail.Repair(path, IsJson));
        Assert.Equal(complete, File.ReadAllText(path));
        Assert.Null(JsonlTail.Repair(TinyModels.TempPath("missing.jsonl"), IsJson));
    }
}
