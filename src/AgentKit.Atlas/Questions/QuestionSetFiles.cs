using AgentKit.Atlas.Data;

namespace AgentKit.Atlas.Questions;

/// <summary>Questions of one family and split.</summary>
/// <param name="Family">Question family.</param>
/// <param name="Split"><c>train</c> or <c>test</c>.</param>
/// <param name="Questions">Questions.</param>
/// <param name="HeldOutPhrasings">Held-out phrasings among them.</param>
public sealed record QuestionCount(string Family, string Split, int Questions, int HeldOutPhrasings);

/// <summary>What <see cref="QuestionSetFiles.Write"/> wrote (<c>agentkit atlas questions --json</c> prints it).</summary>
/// <param name="Out">The folder.</param>
/// <param name="Seed">The generator's seed.</param>
/// <param name="Total">Questions written.</param>
/// <param name="TestCountries">Entities only test questions ask about.</param>
/// <param name="TrainCountries">Entities training questions ask about.</param>
/// <param name="Counts">Per family and split.</param>
/// <param name="Rephrased">Rephrased (RL) questions per family, all of split train, in <c>rephrased.jsonl</c>; empty when none were asked for.</param>
public sealed record QuestionsReport(string Out, int Seed, int Total, int TestCountries, int TrainCountries, IReadOnlyList<QuestionCount> Counts, IReadOnlyList<QuestionCount> Rephrased);

/// <summary>
/// Writes a generated question set as <c>questions.jsonl</c>, <c>train.jsonl</c> and <c>test.jsonl</c>, and the rephrased
/// RL questions as <c>rephrased.jsonl</c> (<c>agentkit atlas questions</c>).
/// </summary>
public static class QuestionSetFiles
{
    /// <summary>The file of the rephrased questions (not part of <c>questions.jsonl</c>).</summary>
    public const string RephrasedFileName = "rephrased.jsonl";

    /// <summary>
    /// Generates the questions of <paramref name="data"/> and writes the three files to <paramref name="folder"/>, plus
    /// <see cref="RephrasedFileName"/> unless the generator's <see cref="QuestionGeneratorOptions.RephrasedPerFamily"/> is 0.
    /// </summary>
    public static QuestionsReport Write(AtlasQuestionGenerator generator, int seed, AtlasData data, string folder)
    {
        var questions = generator.Generate(data);
        var rephrased = generator.GenerateRephrasings(data);
        Directory.CreateDirectory(folder);
        QuestionFile.Write(questions, Path.Combine(folder, "questions.jsonl"));
        QuestionFile.Write(questions.Where(q => q.Split == QuestionSplits.Train), Path.Combine(folder, "train.jsonl"));
        QuestionFile.Write(questions.Where(q => q.Split == QuestionSplits.Test), Path.Combine(folder, "test.jsonl"));
        if (rephrased.Count > 0)
            QuestionFile.Write(rephrased, Path.Combine(folder, RephrasedFileName));

        var templates = generator.Templates;
        var counts = questions.GroupBy(q => (q.Family, q.Split))
            .Select(g => new QuestionCount(g.Key.Family, g.Key.Split, g.Count(),
                templates.TryGetValue(g.Key.Family, out var t) ? g.Select(q => q.Template).Distinct().Count(id => t.Any(x => x.Id == id && x.HeldOut)) : 0))
            .ToList();
        var entities = questions.SelectMany(q => q.Entities.Select(e => (e, q.Split))).Distinct().ToList();
        return new QuestionsReport(Path.GetFullPath(folder), seed, questions.Count,
            entities.Count(e => e.Split == QuestionSplits.Test), entities.Count(e => e.Split == QuestionSplits.Train), counts,
            [.. rephrased.GroupBy(q => q.Family).Select(g => new QuestionCount(g.Key, QuestionSplits.Train, g.Count(), 0))]);
    }
}
