using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Teacher;
using AgentKit.Atlas.Tests.Support;
using AgentKit.Core.Trajectories;

namespace AgentKit.Atlas.Tests;

/// <summary>The library behind <c>agentkit atlas teach</c>: the shipped agent folder, its corpus indexed on the fly, the real sandbox.</summary>
[Collection(AtlasCollection.Name)]
public sealed class AtlasTeachingTests(AtlasFixture atlas)
{
    private static string AgentFolder => Path.Combine(AtlasFixture.RepositoryRoot(), "agents", "atlas");

    [Fact]
    public async Task Teaching_records_a_scored_run_per_question_and_reports_each_as_it_finishes()
    {
        var questions = atlas.Questions.Where(q => q.Split == QuestionSplits.Train && q.Family != QuestionFamilies.Bad)
            .GroupBy(q => q.Family).Select(g => g.First()).Take(3).ToList();
        var output = Path.Combine(Directory.CreateTempSubdirectory("atlas-teach-").FullName, "teacher.jsonl");
        var heard = 0;

        var report = await AtlasTeaching.RunAsync(questions, new TeachOptions { AgentFolder = AgentFolder, Out = output, Parallel = 2, TimeoutMs = 20_000 },
            new CountingProgress(() => Interlocked.Increment(ref heard)));

        Assert.Equal((3, 3, 1.0), (report.Questions, report.Correct, report.Success));
        Assert.Empty(report.Failures);
        Assert.Equal(3, heard);
        Assert.Equal(3, report.Families.Sum(f => f.Questions));
        var records = JsonlTrajectoryReader.Read(output).Records;
        Assert.Equal(questions.Select(q => q.Id).Order(), records.Select(r => r.Task.Id).Order());
        Assert.All(records, r => Assert.True(r.Score?.Correct));
    }

    [Fact]
    public async Task A_file_that_already_holds_runs_is_never_appended_to()
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("atlas-teach-").FullName, "teacher.jsonl");
        File.WriteAllText(output, "{}\n");

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            AtlasTeaching.RunAsync([atlas.Questions[0]], new TeachOptions { AgentFolder = AgentFolder, Out = output }));

        Assert.Contains("already exists", error.Message);
        Assert.Equal("{}\n", File.ReadAllText(output));
    }

    private sealed class CountingProgress(Action count) : IProgress<TeachingResult>
    {
        public void Report(TeachingResult value) => count();
    }
}
