using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

/// <summary>
/// End to end: a real <c>agentkit serve</c> process serving a tiny random GGUF is the teacher endpoint of
/// <c>agentkit record</c> over atlas-style tasks. Proves the wiring (requests, first thought, concurrency, the written
/// schema, resume), not the quality: a random model answers nothing right.
/// </summary>
[Collection(AgentCli.Collection)]
public sealed partial class RecordFromServedTeacherTests
{
    [Fact]
    public async Task Record_with_a_served_teacher_writes_one_valid_trajectory_per_task_and_a_second_run_resumes()
    {
        var tasks = TinyModels.TempPath("atlas-tasks.jsonl");
        await File.WriteAllLinesAsync(tasks,
        [
            """{"id":"lyon","question":"Which two rivers meet at Lyon?","answer":"Rhône and Saône"}""",
            """{"id":"length","question":"How much longer is the Rhône than the Saône, in km?","answer":"340"}""",
            """{"id":"marseille","question":"Which sea does Marseille lie on?","answer":"Mediterranean"}""",
        ]);
        var output = TinyModels.TempPath("served.jsonl");
        using var serve = StartServe();
        try
        {
            var url = await ReadServedUrlAsync(serve);
            string[] record =
            [
                "record", "--agent", AgentCli.ShortStepExampleAgent(TinyModels.TempPath("agent"), 24), "--tasks", tasks, "--teacher-endpoint", url, "--teacher-model", "tiny",
                "--first-thought", "--temperature", "0", "--max-steps", "1", "--concurrency", "2", "--max-retries", "1", "--out", output, "--json",
            ];

            var (exit, stdout, stderr) = await AgentCli.RunAsync(record);

            Assert.True(exit == 0, stderr);
            using (var report = JsonDocument.Parse(stdout))
            {
                Assert.Equal((3, 3, 0, 0), (report.RootElement.GetProperty("tasks").GetInt32(), report.RootElement.GetProperty("recorded").GetInt32(),
                    report.RootElement.GetProperty("failed").GetInt32(), report.RootElement.GetProperty("resumed_skipped").GetInt32()));
            }
            var read = JsonlTrajectoryReader.Read(output);
            Assert.Empty(read.Warnings);
            Assert.Equal(["length", "lyon", "marseille"], read.Records.Select(r => r.Task.Id).Order());
            Assert.All(read.Records, r =>
            {
                Assert.Equal(TrajectorySchema.Version, r.SchemaVersion);
                Assert.Equal(("tiny", url.TrimEnd('/') + "/"), (r.Model.Name, r.Model.Source.TrimEnd('/') + "/"));
                Assert.Equal(0f, r.Sampling.Temperature);
                Assert.Single(r.Steps.OfType<ActionStep>());
                Assert.True(r.CompletionTokens > 0);
            });

            (exit, stdout, stderr) = await AgentCli.RunAsync(record);
            Assert.True(exit == 0, stderr);
            using (var again = JsonDocument.Parse(stdout))
                Assert.Equal((3, 0), (again.RootElement.GetProperty("resumed_skipped").GetInt32(), again.RootElement.GetProperty("recorded").GetInt32()));
            Assert.Equal(3, JsonlTrajectoryReader.Read(output).Records.Count);
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    private static Process StartServe() => Process.Start(new ProcessStartInfo("dotnet")
    {
        ArgumentList =
        {
            Path.Combine(AppContext.BaseDirectory, "agentkit.dll"), "serve", "--model", TinyModels.RandomLlamaPath(), "--model-name", "tiny",
            "--port", "0", "--context", "4096", "--threads", "1",
        },
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    })!;

    /// <summary>The base URL from serve's "Serving NAME at URL" line.</summary>
    private static async Task<string> ReadServedUrlAsync(Process serve)
    {
        _ = serve.StandardError.ReadToEndAsync(); // keep the request log from filling the pipe
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await serve.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (ServedAt().Match(line) is { Success: true } match)
                return match.Groups[1].Value;
        }
        throw new InvalidOperationException("agentkit serve exited without serving.");
    }

    [GeneratedRegex(@"^Serving \S+ at (\S+) ")]
    private static partial Regex ServedAt();
}
