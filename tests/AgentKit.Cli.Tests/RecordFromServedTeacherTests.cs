using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

/// <summary>
/// End to end: a real <c>agentkit serve</c> process serving a tiny random GGUF is the teacher endpoint of a real
/// <c>agentkit record</c> process over atlas-style tasks, killed with SIGKILL once a trajectory is on disk and then run
/// again. Proves the wiring (requests, first thought, concurrency, the written schema, resume after a kill), not the
/// quality: a random model answers nothing right.
/// </summary>
[Collection(AgentCli.Collection)]
public sealed partial class RecordFromServedTeacherTests
{
    [Fact]
    public async Task A_killed_recording_from_a_served_teacher_resumes_with_one_valid_trajectory_per_task_and_earlier_lines_unchanged()
    {
        var tasks = TinyModels.TempPath("atlas-tasks.jsonl");
        var ids = new[] { "lyon", "length", "marseille", "paris", "nile", "peru" };
        await File.WriteAllLinesAsync(tasks,
        [
            """{"id":"lyon","question":"Which two rivers meet at Lyon?","answer":"Rhône and Saône"}""",
            """{"id":"length","question":"How much longer is the Rhône than the Saône, in km?","answer":"340"}""",
            """{"id":"marseille","question":"Which sea does Marseille lie on?","answer":"Mediterranean"}""",
            """{"id":"paris","question":"Which river flows through Paris?","answer":"Seine"}""",
            """{"id":"nile","question":"Into which sea does the Nile flow?","answer":"Mediterranean"}""",
            """{"id":"peru","question":"What is the capital of Peru?","answer":"Lima"}""",
        ]);
        var output = TinyModels.TempPath("served.jsonl");
        using var serve = Start("serve", "--model", TinyModels.RandomLlamaPath(), "--model-name", "tiny", "--port", "0", "--context", "4096", "--threads", "1");
        try
        {
            var url = await ReadServedUrlAsync(serve);
            string[] record =
            [
                "record", "--agent", AgentCli.ShortStepExampleAgent(TinyModels.TempPath("agent"), 24), "--tasks", tasks,
                "--teacher-endpoint", url, "--teacher-model", "tiny", "--first-thought", "--temperature", "0", "--max-steps", "1",
                "--concurrency", "2", "--max-retries", "1", "--out", output,
            ];

            using (var recording = Start(record))
            {
                _ = recording.StandardOutput.ReadToEndAsync();
                var stderr = recording.StandardError.ReadToEndAsync();
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
                while (JsonlFiles.CompleteLines(output) < 1 && !recording.HasExited && DateTime.UtcNow < deadline)
                    await Task.Delay(20);
                if (recording.HasExited)
                    Assert.Fail("the recording stopped by itself: " + await stderr);
                recording.Kill(entireProcessTree: true);
                await recording.WaitForExitAsync();
            }
            var atKill = await File.ReadAllBytesAsync(output);
            var completeAtKill = atKill[..(Array.LastIndexOf(atKill, (byte)'\n') + 1)];
            var linesAtKill = completeAtKill.Count(b => b == '\n');
            Assert.InRange(linesAtKill, 1, ids.Length - 1);

            var (exit, stdout, err) = await AgentCli.RunAsync([.. record, "--json"]);

            Assert.True(exit == 0, err);
            using (var report = JsonDocument.Parse(stdout))
            {
                Assert.Equal((6, linesAtKill, 6 - linesAtKill, 0), (report.RootElement.GetProperty("tasks").GetInt32(),
                    report.RootElement.GetProperty("resumed_skipped").GetInt32(), report.RootElement.GetProperty("recorded").GetInt32(),
                    report.RootElement.GetProperty("failed").GetInt32()));
            }
            Assert.Equal(completeAtKill, (await File.ReadAllBytesAsync(output))[..completeAtKill.Length]);
            var read = JsonlTrajectoryReader.Read(output);
            Assert.Empty(read.Warnings);
            Assert.Equal(ids.Order(), read.Records.Select(r => r.Task.Id).Order());
            Assert.All(read.Records, r =>
            {
                Assert.Equal(TrajectorySchema.Version, r.SchemaVersion);
                Assert.Equal(("tiny", url.TrimEnd('/') + "/"), (r.Model.Name, r.Model.Source.TrimEnd('/') + "/"));
                Assert.Equal(0f, r.Sampling.Temperature);
                Assert.Single(r.Steps.OfType<ActionStep>());
                Assert.True(r.CompletionTokens > 0);
            });
        }
        finally
        {
            serve.Kill(entireProcessTree: true);
            await serve.WaitForExitAsync();
        }
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "agentkit.dll"));
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
    }

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
