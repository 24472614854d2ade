using System.Text.Json;
using AgentKit.Atlas.Data;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Scoring;
using AgentKit.Atlas.Tests.Support;

namespace AgentKit.Atlas.Tests.Data;

/// <summary>One small RL folder (20 invented countries, 5 questions a family, 8 others), written once for the class.</summary>
public sealed class RlSetFolder : IDisposable
{
    public static readonly AtlasRlSetOptions Options = new() { Countries = 20, PerFamily = 5, Others = 8, Seed = 3 };

    public RlSetFolder()
    {
        Folder = Write(Options);
        Questions = QuestionFile.Read(Path.Combine(Folder, AtlasRlSetWriter.QuestionsFile));
        Passages = File.ReadAllLines(Path.Combine(Folder, "corpus.jsonl"));
    }

    public static string AtlasAgent => Path.Combine(AtlasFixture.RepositoryRoot(), "agents", "atlas");
    public static string Source => Path.Combine(AtlasAgent, "data", "source");

    public string Folder { get; }
    public AtlasRlSetSummary Summary { get; private set; } = null!;
    public IReadOnlyList<AtlasQuestion> Questions { get; }
    public IReadOnlyList<string> Passages { get; }

    public string Write(AtlasRlSetOptions options)
    {
        var folder = Directory.CreateTempSubdirectory("agentkit-rlset-").FullName;
        Summary = AtlasRlSetWriter.Write(AtlasAgent, Source, folder, options);
        return folder;
    }

    public static IReadOnlyList<AtlasQuestion> Shipped(string file) => QuestionFile.Read(Path.Combine(AtlasAgent, "questions", file));

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless */ }
    }
}

public sealed class AtlasRlSetWriterTests(RlSetFolder rl) : IClassFixture<RlSetFolder>
{
    private static bool IsInvented(AtlasQuestion q) => q.Id.StartsWith(AtlasRlSetWriter.InventedIdPrefix, StringComparison.Ordinal);

    [Fact]
    public void The_same_options_write_the_same_bytes_and_another_seed_other_ones()
    {
        var again = new RlSetFolder().Write(RlSetFolder.Options);
        var reseeded = new RlSetFolder().Write(RlSetFolder.Options with { Seed = 4 });

        string[] files = ["agent.json", "prompt.md", "corpus.jsonl", AtlasRlSetWriter.QuestionsFile];
        Assert.All(files, f => Assert.Equal(File.ReadAllBytes(Path.Combine(rl.Folder, f)), File.ReadAllBytes(Path.Combine(again, f))));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(rl.Folder, AtlasRlSetWriter.QuestionsFile)), File.ReadAllBytes(Path.Combine(reseeded, AtlasRlSetWriter.QuestionsFile)));
        Assert.False(File.Exists(Path.Combine(rl.Folder, "model.gguf")));
        Assert.Equal(File.ReadAllText(Path.Combine(RlSetFolder.AtlasAgent, "agent.json")), File.ReadAllText(Path.Combine(rl.Folder, "agent.json")));
    }

    [Fact]
    public void No_question_is_of_the_test_split_or_about_a_test_country()
    {
        var testCountries = RlSetFolder.Shipped("test.jsonl").Where(q => q.Family != QuestionFamilies.Bad).SelectMany(q => q.Entities).ToHashSet();
        var trainCountries = RlSetFolder.Shipped("train.jsonl").SelectMany(q => q.Entities).ToHashSet();
        testCountries.ExceptWith(trainCountries);

        Assert.NotEmpty(testCountries);
        Assert.All(rl.Questions, q => Assert.Equal(QuestionSplits.Train, q.Split));
        Assert.DoesNotContain(rl.Questions.Where(q => !IsInvented(q)).SelectMany(q => q.Entities), testCountries.Contains);
    }

    [Fact]
    public void Ids_are_unique_and_real_ones_are_the_shipped_rephrased_ids_invented_ones_prefixed()
    {
        var rephrased = RlSetFolder.Shipped(QuestionSetFiles.RephrasedFileName).ToDictionary(q => q.Id);

        Assert.Equal(rl.Questions.Count, rl.Questions.Select(q => q.Id).Distinct().Count());
        Assert.All(rl.Questions.Where(q => !IsInvented(q)), q => Assert.Equal(rephrased[q.Id], q, new QuestionText()));
        Assert.DoesNotContain(rephrased.Keys, k => k.StartsWith(AtlasRlSetWriter.InventedIdPrefix, StringComparison.Ordinal));
        Assert.Equal(rl.Summary.Families.Sum(f => f.Invented), rl.Questions.Count(IsInvented));
    }

    [Fact]
    public void Every_focus_question_is_taken_and_the_others_spread_evenly_real_and_invented_alike()
    {
        var shippedComparisons = RlSetFolder.Shipped(QuestionSetFiles.RephrasedFileName).Count(q => q.Family == QuestionFamilies.Comparison);
        var real = rl.Questions.Where(q => !IsInvented(q)).ToList();
        var invented = rl.Questions.Where(IsInvented).ToList();

        Assert.Equal(shippedComparisons, real.Count(q => q.Family == QuestionFamilies.Comparison));
        Assert.Equal(5, invented.Count(q => q.Family == QuestionFamilies.Comparison));
        // 8 others over lookup, bridge, arithmetic and set: 2 each, in the real part and in the invented part.
        foreach (var part in new[] { real, invented })
            Assert.Equal(
                [(QuestionFamilies.Arithmetic, 2), (QuestionFamilies.Bridge, 2), (QuestionFamilies.Lookup, 2), (QuestionFamilies.Set, 2)],
                part.Where(q => q.Family != QuestionFamilies.Comparison).GroupBy(q => q.Family).Select(g => (g.Key, g.Count())).Order());
        Assert.Equal(QuestionFamilies.Comparison, rl.Summary.Families[0].Family);
        Assert.Equal(rl.Questions.Count, rl.Summary.Questions);
        // The order is shuffled: real and invented questions are interleaved.
        var firstInvented = rl.Questions.ToList().FindIndex(q => IsInvented(q));
        Assert.Contains(rl.Questions.Skip(firstInvented), q => !IsInvented(q));
        Assert.Contains(rl.Questions.Take(rl.Questions.Count / 2), q => q.Family != QuestionFamilies.Comparison);
    }

    [Fact]
    public void The_corpus_is_the_real_one_then_the_invented_one_and_holds_every_questions_entities()
    {
        var realLines = File.ReadAllLines(Path.Combine(RlSetFolder.AtlasAgent, "corpus.jsonl")).Where(l => l.Length > 0).ToList();
        var titles = rl.Passages.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("title").GetString()).ToHashSet();

        Assert.Equal(realLines, rl.Passages.Take(realLines.Count));
        Assert.Equal((realLines.Count, rl.Passages.Count - realLines.Count), (rl.Summary.RealPassages, rl.Summary.InventedPassages));
        Assert.Equal(20, rl.Summary.InventedCountries);
        Assert.All(rl.Questions.SelectMany(q => q.Entities), entity => Assert.Contains(entity, titles));
        Assert.Equal(rl.Passages.Count, rl.Passages.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).Distinct().Count());
    }

    [Fact]
    public void Every_question_is_gradeable_by_the_atlas_reward()
    {
        var scorer = new AtlasQuestionScorer(QuestionFile.Read(Path.Combine(rl.Folder, AtlasRlSetWriter.QuestionsFile)));

        Assert.Equal(rl.Questions.Count, scorer.Count);
        Assert.All(rl.Questions, q => Assert.True(scorer.IsCorrect(q.Id, q.Answer), q.Id));
    }

    [Theory]
    [InlineData("comparsion", "unknown family 'comparsion'")]
    [InlineData("bad", "unknown family 'bad'")]
    [InlineData("", "at least one family")]
    [InlineData("lookup,lookup", "twice")]
    public void Bad_focus_lists_are_refused_naming_the_problem(string focus, string message)
    {
        var options = new AtlasRlSetOptions { Focus = focus.Split(',', StringSplitOptions.RemoveEmptyEntries) };

        Assert.Contains(message, Assert.Throws<ArgumentException>(() => options.Validate()).Message);
    }

    private sealed class QuestionText : IEqualityComparer<AtlasQuestion>
    {
        public bool Equals(AtlasQuestion? x, AtlasQuestion? y) => (x?.Id, x?.Question, x?.Answer, x?.Family) == (y?.Id, y?.Question, y?.Answer, y?.Family);
        public int GetHashCode(AtlasQuestion obj) => obj.Id.GetHashCode(StringComparison.Ordinal);
    }
}
