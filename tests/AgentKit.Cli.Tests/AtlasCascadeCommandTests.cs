using System.Text.Json;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

[Collection(AgentCli.Collection)]
public sealed class AtlasCascadeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-cascade-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string AtlasAgent => Path.Combine(AgentCli.RepoRoot(), "agents", "atlas");

    [Fact]
    public async Task Cascade_flags_go_together_and_name_what_is_wrong()
    {
        var (exit, _, stderr) = await AgentCli.RunAsync("run", "--agent", AtlasAgent, "--cascade-endpoint", "http://127.0.0.1:9/v1", "--defer", "p10:1", "What is the capital of Peru?");
        Assert.Equal(2, exit);
        Assert.Contains("--cascade-endpoint, --cascade-model and --defer go together", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("run", "--agent", AtlasAgent, "--cascade-endpoint", "http://127.0.0.1:9/v1", "--cascade-model", "t", "--defer", "p90:1", "q");
        Assert.Equal(2, exit);
        Assert.Contains("--defer: 'p90:1' is not a deferral rule", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("run", "--agent", AtlasAgent, "--cascade-endpoint", "nowhere", "--cascade-model", "t", "--defer", "total:3", "q");
        Assert.Equal(2, exit);
        Assert.Contains("--cascade-endpoint must be an absolute URL", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("atlas", "cascade", "--agent", AtlasAgent, "--out", _dir, "--shares", "0.5,1");
        Assert.Equal(2, exit);
        Assert.Contains("--shares takes comma-separated shares strictly between 0 and 1", stderr);

        (exit, _, stderr) = await AgentCli.RunAsync("atlas", "cascade", "--agent", AtlasAgent, "--out", _dir, "--rules", "total,p90");
        Assert.Equal(2, exit);
        Assert.Contains("--rules: unknown rule 'p90'", stderr);
    }

    [Fact]
    public async Task Sweep_measures_the_student_each_rule_and_the_teacher_through_a_served_endpoint()
    {
        // A lookup the random student gets wrong and the programmatic teacher gets right.
        var test = File.ReadAllLines(Path.Combine(AtlasAgent, "questions", "test.jsonl"));
        var questions = Path.Combine(_dir, "q.jsonl");
        await File.WriteAllLinesAsync(questions, [.. test.Where(l => l.Contains("\"family\":\"lookup\"")).Take(2)]);
        var output = Path.Combine(_dir, "sweep");
        var plot = Path.Combine(_dir, "curve.png");

        var (exit, stdout, stderr) = await AgentCli.RunAsync(
            "atlas", "cascade", "--agent", AtlasAgent, "--questions", questions, "--rules", "p10", "--shares", "0.5", "--max-steps", "2",
            "--model", TinyModels.RandomLlamaPath(), "--threads", "2", "--context", "4096", "--out", output, "--plot", plot, "--json");

        Assert.True(exit == 0, stderr);
        var points = JsonDocument.Parse(stdout).RootElement.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(["student", "p10", "teacher"], points.Select(p => p.GetProperty("rule").GetString()));
        Assert.Equal(0.0, points[0].GetProperty("deferred_share").GetDouble());
        Assert.Equal(JsonValueKind.Null, points[0].GetProperty("threshold").ValueKind);
        Assert.Equal(JsonValueKind.Number, points[1].GetProperty("threshold").ValueKind);
        Assert.Equal(1.0, points[2].GetProperty("deferred_share").GetDouble());
        Assert.Equal(1.0, points[2].GetProperty("success").GetDouble()); // the teacher, reached through the endpoint, answers both
        Assert.True(File.Exists(Path.Combine(output, "sweep.json")));
        Assert.True(new FileInfo(plot).Length > 0);

        // The deferred steps of the teacher pass are recorded as the teacher's and export as active-distillation data.
        var trajectories = Path.Combine(output, "teacher-1", "n1.jsonl");
        var sft = Path.Combine(_dir, "deferred.jsonl");
        (exit, _, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", trajectories, "--sft", sft, "--deferred-only", "--json");
        Assert.True(exit == 0, stderr);
        Assert.Equal(2, File.ReadAllLines(sft).Length);
        Assert.Contains("atlas-teacher", File.ReadAllText(trajectories));

        (exit, _, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", trajectories, "--groups", Path.Combine(_dir, "g.jsonl"), "--deferred-only");
        Assert.Equal(2, exit);
        Assert.Contains("--deferred-only goes with --sft", stderr);

        // The student's own steps carry their statistics; a rule needs right and wrong runs, and the teacher's steps are not samples.
        var student = Path.Combine(output, "student-0", "n1.jsonl");
        Assert.Contains("\"features\"", File.ReadAllText(student));
        (exit, _, stderr) = await AgentCli.RunAsync("trajectories", "fit-deferral", "--in", trajectories, "--out", Path.Combine(_dir, "rule.json"));
        Assert.Equal(2, exit);
        Assert.Contains("no scored run recorded token statistics", stderr);
    }
}
