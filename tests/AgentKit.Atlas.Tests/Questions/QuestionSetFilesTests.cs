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

        var rephrased = QuestionFile.Read(Path.Combine(folder, QuestionSetFiles.RephrasedFileName));
        Assert.Equal(atlas.Generator.GenerateRephrasings(atlas.Data).Select(q => q.Id), rephrased.Select(q => q.Id));
        Assert.Equal(rephrased.Count, report.Rephrased.Sum(c => c.Questions));
        Assert.Equal(QuestionFamilies.Answerable.Order(), report.Rephrased.Select(c => c.Family).Order());
    }

    [Fact]
    public void Regenerating_with_the_shipped_command_gives_the_shipped_files_byte_for_byte()
    {
        // agents/atlas/README.md: agentkit atlas questions --out agents/atlas/questions --seed 7 --train-per-family 800 --bad-train 200
        var folder = Directory.CreateTempSubdirectory("atlas-questions-").FullName;
        var generator = new AtlasQuestionGenerator(new QuestionGeneratorOptions { Seed = 7, TrainPerFamily = 800, BadTrain = 200 });

        QuestionSetFiles.Write(generator, 7, atlas.Data, folder);

        var shipped = Path.Combine(AtlasFixture.RepositoryRoot(), "agents", "atlas", "questions");
        foreach (var file in (string[])["questions.jsonl", "train.jsonl", "test.jsonl", QuestionSetFiles.RephrasedFileName])
            Assert.True(File.ReadAllBytes(Path.Combine(shipped, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, file))), $"{file} differs from the shipped one");
    }

    [Fact]
    public void No_rephrased_file_when_none_are_asked_for()
    {
        var folder = Directory.CreateTempSubdirectory("atlas-questions-").FullName;

        var report = QuestionSetFiles.Write(new AtlasQuestionGenerator(new QuestionGeneratorOptions { TrainPerFamily = 5, TestPerFamily = 2, RephrasedPerFamily = 0 }), 7, atlas.Data, folder);

        Assert.False(File.Exists(Path.Combine(folder, QuestionSetFiles.RephrasedFileName)));
        Assert.Empty(report.Rephrased);
    }
}
