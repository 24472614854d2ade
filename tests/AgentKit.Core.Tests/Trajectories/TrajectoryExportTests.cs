using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;

namespace AgentKit.Core.Tests.Trajectories;

public sealed class TrajectoryExportTests
{
    [Theory]
    [InlineData(TrajectoryExportFormat.Sft, "sft", 2)]
    [InlineData(TrajectoryExportFormat.TrlSft, "trl-sft", 2)]
    [InlineData(TrajectoryExportFormat.Groups, "groups", -1)]
    public void Readable_runs_are_written_and_a_truncated_line_is_skipped_with_a_warning(TrajectoryExportFormat format, string name, int expectedLines)
    {
        var dir = TempDir();
        var input = Path.Combine(dir, "runs.jsonl");
        File.WriteAllLines(input, [TrajectoryJson.Serialize(SampleTrajectory.Create("a")), TrajectoryJson.Serialize(SampleTrajectory.Create("b"))]);
        File.AppendAllText(input, "{\"run_id\":\"c\",\"ste");
        var warnings = new List<string>();

        var report = TrajectoryExport.Run(new TrajectoryExportOptions { Input = input, Output = Path.Combine(dir, "out", "data.jsonl"), Format = format },
            new SyncReports(warnings));

        var lines = File.ReadAllLines(report.Output);
        Assert.Equal((name, 2, 1), (report.Format, report.Records, report.Skipped));
        Assert.Equal(lines.Length, report.Written);
        if (expectedLines >= 0)
            Assert.Equal(expectedLines, lines.Length);
        Assert.Single(warnings);
        Assert.Equal(warnings, report.Warnings);
        Assert.Equal(format, TrajectoryExport.ParseFormat(name));
    }

    [Fact]
    public void Only_correct_runs_are_kept_when_asked()
    {
        var dir = TempDir();
        var input = Path.Combine(dir, "runs.jsonl");
        var wrong = SampleTrajectory.Create("wrong") with { Score = new TrajectoryScore(false, "numeric") };
        File.WriteAllLines(input, [TrajectoryJson.Serialize(SampleTrajectory.Create("right")), TrajectoryJson.Serialize(wrong)]);

        var report = TrajectoryExport.Run(new TrajectoryExportOptions { Input = input, Output = Path.Combine(dir, "sft.jsonl"), OnlyCorrect = true });

        Assert.Equal((2, 1), (report.Records, report.Written));
    }

    [Fact]
    public void Missing_input_same_file_and_unreadable_input_are_refused_and_nothing_is_written()
    {
        var dir = TempDir();
        var input = Path.Combine(dir, "broken.jsonl");
        File.WriteAllText(input, "not json\n");
        var output = Path.Combine(dir, "out.jsonl");

        Assert.StartsWith("trajectory file not found", Assert.Throws<ArgumentException>(() => new TrajectoryExportOptions { Input = input + ".x", Output = output }.Validate()).Message);
        Assert.Contains("must differ", Assert.Throws<ArgumentException>(() => new TrajectoryExportOptions { Input = input, Output = input }.Validate()).Message);
        Assert.Contains("no readable run (1 line(s) skipped)", Assert.Throws<InvalidDataException>(() => TrajectoryExport.Run(new TrajectoryExportOptions { Input = input, Output = output })).Message);
        Assert.False(File.Exists(output));
        Assert.Throws<ArgumentException>(() => TrajectoryExport.ParseFormat("csv"));
    }

    private static string TempDir() => Directory.CreateTempSubdirectory("agentkit-export-tests-").FullName;

    /// <summary>Collects reports on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class SyncReports(List<string> into) : IProgress<string>
    {
        public void Report(string value) => into.Add(value);
    }
}
