using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Tests.Support;

namespace AgentKit.Atlas.Tests;

[Collection(AtlasCollection.Name)]
public sealed class QuestionFileSelectTests(AtlasFixture atlas)
{
    [Fact]
    public void A_split_and_a_limit_select_the_first_questions_of_that_split()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("atlas-select-").FullName, "questions.jsonl");
        QuestionFile.Write(atlas.Questions, path);

        var test = QuestionFile.Select(path, QuestionSplits.Test, limit: 3);
        var all = QuestionFile.Select(path);

        Assert.Equal(atlas.Questions.Where(q => q.Split == QuestionSplits.Test).Take(3).Select(q => q.Id), test.Select(q => q.Id));
        Assert.Equal(atlas.Questions.Count, all.Count);
        Assert.Equal("no questions selected.", Assert.Throws<ArgumentException>(() => QuestionFile.Select(path, "validation")).Message);
        Assert.Equal("no questions selected.", Assert.Throws<ArgumentException>(() => QuestionFile.Select(path, limit: 0)).Message);
        Assert.StartsWith("question file not found", Assert.Throws<ArgumentException>(() => QuestionFile.Select(path + ".missing")).Message);
    }
}
