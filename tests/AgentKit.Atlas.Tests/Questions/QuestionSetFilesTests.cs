using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Tests.Support;

namespace AgentKit.Atlas.Tests;

[Collection(AtlasCollection.Name)]
public sealed class QuestionSetFilesTests(AtlasFixture atlas)
{
    [Fact]
    public void The_three_files_split_the_generated_questions_and_the_report_counts_them()
    {
        var folder = Directory.CreateTempSubdirectory("atlas-questions-").FullName;

        var report = QuestionSetFiles.Write(new AtlasQuestionGenerator(), 7, atlas.Data, folder);

        var all = QuestionFile.Read(Path.Combine(folder, "questions.jsonl"));
        var train = QuestionFile.Read(Path.Combine(folder, "train.jsonl"));
        var test = QuestionFile.Read(Path.Combine(folder, "test.jsonl"));
        Assert.Equal(atlas.Questions.Select(q => q.Id), all.Select(q => q.Id)); // same generator, same data: same questions
        Assert.Equal(all.Count, train.Count + test.Count);
        Assert.All(test, q => Assert.Equal(QuestionSplits.Test, q.Split));
        Assert.Equal(all.Count, report.Total);
        Assert.Equal(report.Total, report.Counts.Sum(c => c.Questions));
        Assert.Equal(test.Count, report.Counts.Where(c => c.Split == QuestionSplits.Test).Sum(c => c.Questions));
        Assert.True(report.TestCountries > 0 && report.TrainCountries > report.TestCountries);
    }
}
