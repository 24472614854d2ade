using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;

namespace AgentKit.Core.Tests.Trajectories;

public sealed class JsonlTrajectoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-traj-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Round_trips_every_field_including_step_types()
    {
        var path = Path.Combine(_dir, "sub", "t.jsonl");
        using var writer = new JsonlTrajectoryWriter(path);
        var original = SampleTrajectory.Create();
        await writer.WriteAsync(original);

        var text = await File.ReadAllTextAsync(path);
        Assert.EndsWith("\n", text);
        Assert.Single(text.Trim().Split('\n'));
        Assert.Contains("\"schema_version\":1", text);
        Assert.Contains("\"type\":\"action\"", text);
        Assert.Contains("\"status\":\"ok\"", text);

        var read = JsonlTrajectoryReader.Read(path);
        Assert.Empty(read.Warnings);
        var back = Assert.Single(read.Records);
        Assert.Equal(TrajectoryJson.Serialize(original), TrajectoryJson.Serialize(back));
        var action = Assert.IsType<ActionStep>(back.Steps[1]);
        Assert.Equal(2, action.Candidates.Count);
        Assert.True(action.Candidates[0].Chosen);
    }

    [Fact]
    public async Task Truncated_last_line_is_skipped_with_a_warning_and_the_next_append_stays_separate()
    {
        var path = Path.Combine(_dir, "t.jsonl");
        using var writer = new JsonlTrajectoryWriter(path);
        await writer.WriteAsync(SampleTrajectory.Create("a"));
        await writer.WriteAsync(SampleTrajectory.Create("b"));

        // What a writer killed in the middle of its single write leaves behind: half a line, no newline.
        var partial = TrajectoryJson.Serialize(SampleTrajectory.Create("c"));
        await File.AppendAllTextAsync(path, partial[..(partial.Length / 2)]);

        var read = JsonlTrajectoryReader.Read(path);
        Assert.Equal(["a", "b"], read.Records.Select(r => r.RunId));
        var warning = Assert.Single(read.Warnings);
        Assert.Contains(":3: last line is truncated", warning);

        // A new writer appends after the partial line without gluing onto it.
        using var next = new JsonlTrajectoryWriter(path);
        await next.WriteAsync(SampleTrajectory.Create("d"));
        read = JsonlTrajectoryReader.Read(path);
        Assert.Equal(["a", "b", "d"], read.Records.Select(r => r.RunId));
        Assert.Contains(":3: corrupt line skipped", Assert.Single(read.Warnings));
    }

    [Fact]
    public void Corrupt_lines_in_the_middle_are_reported_with_line_numbers()
    {
        var good = TrajectoryJson.Serialize(SampleTrajectory.Create("a"));
        var text = $"{good}\n{{\"not\":\"a record\"}}\n\n{good.Replace("\"run_id\":\"a\"", "\"run_id\":\"z\"")}\nnot json at all\n";
        var read = JsonlTrajectoryReader.Read(new StringReader(text), "x.jsonl");
        Assert.Equal(["a", "z"], read.Records.Select(r => r.RunId));
        Assert.Equal(2, read.Warnings.Count);
        Assert.StartsWith("x.jsonl:2: corrupt line skipped", read.Warnings[0]);
        Assert.StartsWith("x.jsonl:5: corrupt line skipped", read.Warnings[1]);
    }

    [Fact]
    public void A_later_record_of_the_same_run_replaces_the_earlier_one_in_place()
    {
        string Line(string id, RunOutcome outcome) => TrajectoryJson.Serialize(SampleTrajectory.Create(id, outcome));
        var text = string.Join('\n', Line("a", RunOutcome.Cancelled), Line("b", RunOutcome.Answered), Line("a", RunOutcome.StepLimit), Line("a", RunOutcome.Answered)) + "\n";
        var read = JsonlTrajectoryReader.Read(new StringReader(text));
        Assert.Empty(read.Warnings);
        Assert.Equal(["a", "b"], read.Records.Select(r => r.RunId));
        Assert.Equal(RunOutcome.Answered, read.Records[0].Outcome);
    }

    [Theory]
    [InlineData("nul-filled tail")]
    [InlineData("cut inside a multi-byte character")]
    [InlineData("null")]
    [InlineData("a JSON array")]
    [InlineData("cut right after a closing brace")]
    public async Task A_damaged_last_line_is_skipped_and_the_runs_before_it_are_kept(string damage)
    {
        var path = Path.Combine(_dir, "d.jsonl");
        using (var writer = new JsonlTrajectoryWriter(path))
        {
            await writer.WriteAsync(SampleTrajectory.Create("a"));
            await writer.WriteAsync(SampleTrajectory.Create("b"));
        }
        var whole = System.Text.Encoding.UTF8.GetBytes(TrajectoryJson.Serialize(SampleTrajectory.Create("c") with { FinalAnswer = "São Tomé" }));
        var cut = Array.IndexOf(whole, (byte)0xC3); // the first byte of "ã"
        byte[] tail = damage switch
        {
            "nul-filled tail" => new byte[4096], // what a file system can leave after a power cut
            "cut inside a multi-byte character" => whole[..(cut + 1)],
            "null" => "null"u8.ToArray(),
            "a JSON array" => "[1,2]"u8.ToArray(),
            _ => whole[..(Array.IndexOf(whole, (byte)'}') + 1)],
        };
        await using (var stream = new FileStream(path, FileMode.Append))
            stream.Write(tail);

        var read = JsonlTrajectoryReader.Read(path);

        Assert.Equal(["a", "b"], read.Records.Select(r => r.RunId));
        Assert.Contains(":3: ", Assert.Single(read.Warnings));
    }

    [Fact]
    public void Newer_schema_versions_are_skipped_with_a_warning()
    {
        var line = TrajectoryJson.Serialize(SampleTrajectory.Create() with { SchemaVersion = TrajectorySchema.Version + 1 });
        var read = JsonlTrajectoryReader.Read(new StringReader(line + "\n"));
        Assert.Empty(read.Records);
        Assert.Contains("newer than this reader", Assert.Single(read.Warnings));
    }

    [Fact]
    public async Task Concurrent_writes_produce_whole_lines()
    {
        var path = Path.Combine(_dir, "c.jsonl");
        using var writer = new JsonlTrajectoryWriter(path);
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => writer.WriteAsync(SampleTrajectory.Create($"r{i}")).AsTask()));
        var read = JsonlTrajectoryReader.Read(path);
        Assert.Empty(read.Warnings);
        Assert.Equal(40, read.Records.Select(r => r.RunId).Distinct().Count());
        Assert.Equal(40, writer.Written);
    }

    [Fact]
    public void Missing_file_is_a_clear_error() =>
        Assert.Contains("not found", Assert.Throws<FileNotFoundException>(() => JsonlTrajectoryReader.Read(Path.Combine(_dir, "none.jsonl"))).Message);
}
