using System.Text;
using System.Text.Json;
using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Questions;
using AgentKit.Core.Definitions;

namespace AgentKit.Atlas.Data;

/// <summary>Questions of one family in an RL set.</summary>
/// <param name="Family">The question family.</param>
/// <param name="Real">Questions about real countries (from the shipped rephrased set).</param>
/// <param name="Invented">Questions about invented countries.</param>
public sealed record AtlasRlSetCount(string Family, int Real, int Invented);

/// <summary>What <see cref="AtlasRlSetWriter.Write"/> wrote.</summary>
/// <param name="Families">Questions by family: the focus families first, then the others.</param>
/// <param name="RealPassages">Passages of the real atlas corpus.</param>
/// <param name="InventedPassages">Passages of the invented atlas appended to them.</param>
/// <param name="InventedCountries">Invented countries.</param>
public sealed record AtlasRlSetSummary(IReadOnlyList<AtlasRlSetCount> Families, int RealPassages, int InventedPassages, int InventedCountries)
{
    /// <summary>Questions written.</summary>
    public int Questions => Families.Sum(f => f.Real + f.Invented);
}

/// <summary>
/// Writes the agent folder GRPO trains the atlas agent in (<c>agentkit atlas rl-set</c>): the atlas agent's definition
/// and prompt (no model: under GRPO the policy being trained generates), a corpus of the real atlas followed by an
/// invented one (<see cref="SyntheticAtlas"/>), and <see cref="QuestionsFile"/> mixing questions about both: every
/// question of the focus families and an even spread of the others, from the shipped rephrased set (training countries
/// only) and from the invented atlas (ids prefixed <see cref="InventedIdPrefix"/>). Every question is an atlas
/// question, so <c>train grpo --reward atlas</c> grades it. Deterministic: the same inputs and options write the same bytes.
/// </summary>
public static class AtlasRlSetWriter
{
    /// <summary>The RL questions inside the folder.</summary>
    public static readonly string QuestionsFile = Path.Combine("questions", "rl.jsonl");

    /// <summary>The real questions read from the atlas agent folder: its rephrased (RL-only wordings) set.</summary>
    public static readonly string RealQuestionsFile = Path.Combine("questions", QuestionSetFiles.RephrasedFileName);

    /// <summary>Prefix of the ids of invented-atlas questions, so they never collide with real ones.</summary>
    public const string InventedIdPrefix = "inv-";

    private static readonly string[] s_familyOrder = [.. QuestionFamilies.Answerable, QuestionFamilies.Bad];

    /// <summary>
    /// Writes the agent folder <paramref name="outFolder"/> from the atlas agent in <paramref name="agentFolder"/> (its
    /// definition, corpus and <see cref="RealQuestionsFile"/>) and the real country files in <paramref name="sourceFolder"/>
    /// (which the invented atlas draws its facts from).
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="FileNotFoundException">The agent folder lacks its definition, its corpus or its rephrased questions.</exception>
    /// <exception cref="DirectoryNotFoundException">The source folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The agent's Search tool names no corpus inside its folder, or a file is malformed.</exception>
    public static AtlasRlSetSummary Write(string agentFolder, string sourceFolder, string outFolder, AtlasRlSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        AgentDefinitionCopy.RequireDefinition(agentFolder);
        if (!Directory.Exists(sourceFolder))
            throw new DirectoryNotFoundException($"source folder not found: {sourceFolder}");
        var corpusName = CorpusName(agentFolder);
        var realCorpus = Path.Combine(agentFolder, corpusName);
        if (!File.Exists(realCorpus))
            throw new FileNotFoundException($"the atlas corpus {realCorpus} (named by the Search tool's settings) does not exist.", realCorpus);
        var realQuestionsPath = Path.Combine(agentFolder, RealQuestionsFile);
        if (!File.Exists(realQuestionsPath))
            throw new FileNotFoundException($"no rephrased questions at {realQuestionsPath} (written by 'agentkit atlas questions').", realQuestionsPath);

        var random = new Random(options.Seed);
        // Only training countries: a test-split question would leak the held-out evaluation into RL.
        var real = Choose(QuestionFile.Read(realQuestionsPath).Where(q => q.Split == QuestionSplits.Train), options.Focus, options.Others, random);

        var invented = SyntheticAtlas.Generate(AtlasSourceLoader.Load(sourceFolder), options.Countries, options.Seed);
        var corpusOptions = new AtlasCorpusOptions();
        var inventedPassages = new AtlasCorpusBuilder(corpusOptions).Build(invented);
        // Every invented country may be asked about: the test split of a made-up world has no use.
        var inventedQuestions = new AtlasQuestionGenerator(new QuestionGeneratorOptions
        {
            Seed = options.Seed, TrainPerFamily = options.PerFamily, TestPerFamily = 0, BadTrain = 0, BadTest = 0,
            TestCountryPercent = 5, MaxCitiesPerCountry = corpusOptions.MaxCitiesPerCountry,
        }).Generate(invented).Where(q => q.Split == QuestionSplits.Train).Select(q => q with { Id = InventedIdPrefix + q.Id });
        var othersTaken = real.Count(q => !options.Focus.Contains(q.Family));
        var inventedChosen = Choose(inventedQuestions, options.Focus, othersTaken, random);

        var questions = Shuffled([.. real, .. inventedChosen], random);
        var duplicate = questions.GroupBy(q => q.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidDataException($"two questions of the RL set share the id '{duplicate.Key}' ({realQuestionsPath} holds it twice, or an id starting '{InventedIdPrefix}').");
        var (corpus, realPassages) = MergedCorpus(realCorpus, inventedPassages);

        Directory.CreateDirectory(Path.Combine(outFolder, Path.GetDirectoryName(QuestionsFile)!));
        AgentDefinitionCopy.Copy(agentFolder, outFolder);
        var corpusPath = Path.Combine(outFolder, corpusName);
        Directory.CreateDirectory(Path.GetDirectoryName(corpusPath)!);
        File.WriteAllText(corpusPath, corpus, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        QuestionFile.Write(questions, Path.Combine(outFolder, QuestionsFile));
        return new AtlasRlSetSummary(Counts(real, inventedChosen, options.Focus), realPassages, inventedPassages.Count, invented.Countries.Count);
    }

    /// <summary>Every question of the focus families, then <paramref name="others"/> of the rest, round-robin over their families.</summary>
    private static List<AtlasQuestion> Choose(IEnumerable<AtlasQuestion> questions, IReadOnlyList<string> focus, int others, Random random)
    {
        var all = questions.ToList();
        var chosen = all.Where(q => focus.Contains(q.Family)).ToList();
        var queues = all.Where(q => !focus.Contains(q.Family)).GroupBy(q => q.Family)
            .OrderBy(g => FamilyRank(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new Queue<AtlasQuestion>(Shuffled(g, random))).ToList();
        var taken = 0;
        while (taken < others && queues.Any(q => q.Count > 0))
        {
            foreach (var queue in queues)
            {
                if (taken < others && queue.TryDequeue(out var question))
                {
                    chosen.Add(question);
                    taken++;
                }
            }
        }
        return chosen;
    }

    private static int FamilyRank(string family) => Array.IndexOf(s_familyOrder, family) is var i and >= 0 ? i : s_familyOrder.Length;

    private static List<T> Shuffled<T>(IEnumerable<T> items, Random random)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    /// <summary>The corpus file the agent's Search tool names, relative to its folder (the same name inside the new folder).</summary>
    private static string CorpusName(string agentFolder)
    {
        var definition = AgentDefinitionLoader.Load(agentFolder).Definition;
        var search = definition.ToolSettings.FirstOrDefault(t => string.Equals(t.Key, "Search", StringComparison.OrdinalIgnoreCase)).Value;
        if (search is null || !search.TryGetValue("corpus", out var corpus) || string.IsNullOrWhiteSpace(corpus))
            throw new InvalidDataException($"the agent in {agentFolder} names no corpus (tool_settings.Search.corpus).");
        var inside = Path.GetRelativePath(Path.GetFullPath(agentFolder), Path.GetFullPath(corpus, Path.GetFullPath(agentFolder)));
        if (Path.IsPathRooted(corpus) || inside.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(inside))
            throw new InvalidDataException($"the agent's corpus '{corpus}' lies outside its folder {agentFolder}; an RL folder needs it inside.");
        return inside;
    }

    /// <summary>The real corpus's lines as they are, then the invented passages; no id twice.</summary>
    private static (string Text, int RealPassages) MergedCorpus(string realCorpus, IReadOnlyList<AtlasPassage> invented)
    {
        var lines = File.ReadLines(realCorpus).Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, number) in lines.Select((l, i) => (l, i + 1)))
        {
            string? id;
            try
            {
                using var doc = JsonDocument.Parse(line);
                id = doc.RootElement.TryGetProperty("id", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{realCorpus}:{number}: not a passage ({ex.Message}).", ex);
            }
            if (id is null)
                throw new InvalidDataException($"{realCorpus}:{number}: a passage without an \"id\".");
            ids.Add(id);
        }
        if (invented.FirstOrDefault(p => !ids.Add(p.Id)) is { } clash)
            throw new InvalidDataException($"the invented passage '{clash.Id}' has the id of a real one in {realCorpus}.");
        var text = new StringBuilder();
        foreach (var line in lines)
            text.Append(line).Append('\n');
        text.Append(AtlasCorpusBuilder.ToJsonl(invented));
        return (text.ToString(), lines.Count);
    }

    private static List<AtlasRlSetCount> Counts(IReadOnlyList<AtlasQuestion> real, IReadOnlyList<AtlasQuestion> invented, IReadOnlyList<string> focus) =>
        real.Concat(invented).Select(q => q.Family).Distinct()
            .OrderBy(f => focus.Contains(f) ? 0 : 1).ThenBy(FamilyRank).ThenBy(f => f, StringComparer.Ordinal)
            .Select(f => new AtlasRlSetCount(f, real.Count(q => q.Family == f), invented.Count(q => q.Family == f)))
            .ToList();
}
