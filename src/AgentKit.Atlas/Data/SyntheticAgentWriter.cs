using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Questions;

namespace AgentKit.Atlas.Data;

/// <summary>What <see cref="SyntheticAgentWriter.Write"/> wrote.</summary>
/// <param name="Countries">Invented countries.</param>
/// <param name="Passages">Corpus passages.</param>
/// <param name="Questions">Training questions.</param>
public sealed record SyntheticAgentSummary(int Countries, int Passages, int Questions);

/// <summary>
/// Writes a training-only agent folder over an invented atlas (<see cref="SyntheticAtlas"/>): the atlas agent's
/// definition and prompt, a corpus of invented countries built like the real one, and training questions about
/// them. The programmatic teacher run over that folder records genuine trajectories over names the student has
/// never seen, which teaches it to act on a question's wording rather than on the names it memorised. Deterministic for
/// the same real atlas, agent and options.
/// </summary>
public static class SyntheticAgentWriter
{
    /// <summary>The corpus inside the folder (the name the atlas agent's Search settings point at).</summary>
    public const string CorpusFile = "corpus.jsonl";

    /// <summary>The training questions inside the folder.</summary>
    public static readonly string QuestionsFile = Path.Combine("questions", "train.jsonl");

    /// <summary>
    /// Writes the agent folder <paramref name="outFolder"/> from the agent in <paramref name="agentFolder"/> and the
    /// real country files in <paramref name="sourceFolder"/> (facts are drawn from their values; names avoid theirs).
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="FileNotFoundException">The agent folder holds no agent definition.</exception>
    /// <exception cref="DirectoryNotFoundException">The source folder does not exist.</exception>
    public static SyntheticAgentSummary Write(string agentFolder, string sourceFolder, string outFolder, SyntheticAgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        AgentDefinitionCopy.RequireDefinition(agentFolder);
        if (!Directory.Exists(sourceFolder))
            throw new DirectoryNotFoundException($"source folder not found: {sourceFolder}");

        var real = AtlasSourceLoader.Load(sourceFolder);
        var invented = SyntheticAtlas.Generate(real, options.Countries, options.Seed);
        var corpusOptions = new AtlasCorpusOptions();
        var passages = new AtlasCorpusBuilder(corpusOptions).Build(invented);
        // Every invented country may be asked about: the test split of a made-up world has no use.
        var questions = new AtlasQuestionGenerator(new QuestionGeneratorOptions
        {
            Seed = options.Seed, TrainPerFamily = options.PerFamily, TestPerFamily = 0, BadTrain = 0, BadTest = 0,
            TestCountryPercent = 5, MaxCitiesPerCountry = corpusOptions.MaxCitiesPerCountry,
        }).Generate(invented).Where(q => q.Split == QuestionSplits.Train).ToList();

        Directory.CreateDirectory(Path.Combine(outFolder, Path.GetDirectoryName(QuestionsFile)!));
        AgentDefinitionCopy.Copy(agentFolder, outFolder);
        AtlasCorpusBuilder.WriteJsonl(passages, Path.Combine(outFolder, CorpusFile));
        QuestionFile.Write(questions, Path.Combine(outFolder, QuestionsFile));
        return new SyntheticAgentSummary(invented.Countries.Count, passages.Count, questions.Count);
    }
}
