using System.Text.Json.Nodes;
using AgentKit.Atlas.Data;
using AgentKit.Core.Definitions;

namespace AgentKit.Distillation;

/// <summary>
/// Writes the invented-atlas agent folder <c>synthetic/</c> (<see cref="SyntheticAgentWriter"/>) for stage
/// <c>teacher-synthetic</c>. Its settings are the recipe's <c>synthetic</c> section plus hashes of everything the
/// folder is made from (the real country files, the agent definition and prompt it copies), so an edit of any of
/// them is noticed. The folder is written under a temporary name and renamed, so it exists only when complete.
/// </summary>
internal sealed class SyntheticAtlasStage : IDistillStage
{
    private readonly DistillContext _context;
    private readonly SyntheticRecipe _synthetic;
    private readonly string _source;

    /// <exception cref="DistillConfigurationException">The source folder or the agent definition is missing.</exception>
    public SyntheticAtlasStage(DistillContext context, SyntheticRecipe synthetic)
    {
        _context = context;
        _synthetic = synthetic;
        _source = context.Recipe.FromRecipe(synthetic.Source);
        if (!Directory.Exists(_source))
            throw new DistillConfigurationException($"synthetic.source: folder of country files not found: {_source}");
        LoadedAgent agent;
        try
        {
            agent = AgentDefinitionLoader.Load(context.Recipe.AgentFolder);
        }
        catch (InvalidDataException ex)
        {
            throw new DistillConfigurationException($"the synthetic atlas copies the agent definition of {context.Recipe.AgentFolder}: {ex.Message}", ex);
        }
        Parameters = new JsonObject
        {
            ["countries"] = synthetic.Countries,
            ["per_family"] = synthetic.PerFamily,
            ["seed"] = synthetic.Seed,
            ["source"] = synthetic.Source,
            ["source_sha256"] = FolderSha256(_source),
            // The copied definition and prompt shape the synthetic teacher's prompts as much as the real teacher's.
            ["agent_sha256"] = StageFiles.Sha256(Path.Combine(context.Recipe.AgentFolder, AgentDefinitionLoader.FileName)),
            ["instructions_sha256"] = StageFiles.Sha256Text(agent.Definition.Instructions),
        };
    }

    public string Name => "synthetic";

    public string Output => WorkFiles.SyntheticAgent + "/";

    public JsonObject Parameters { get; }

    public bool HasOutput => Directory.Exists(OutputPath);

    private string OutputPath => _context.Work(WorkFiles.SyntheticAgent);

    private string StagingPath => OutputPath + ".tmp";

    public StagePlan Assess(StageRecord? record) => HasOutput && record?.Status == StageLedger.Done ? StagePlan.Skip : StagePlan.Run;

    public void Preflight()
    {
    }

    public void Reset()
    {
        StageFiles.Delete(OutputPath);
        StageFiles.Delete(StagingPath);
    }

    public Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        Reset();
        var summary = SyntheticAgentWriter.Write(_context.Recipe.AgentFolder, _source, StagingPath, _synthetic.ToOptions());
        Directory.Move(StagingPath, OutputPath);
        return Task.FromResult(StageFiles.ToNode(new SyntheticFigures(summary.Countries, summary.Passages, summary.Questions)));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<SyntheticFigures>(results);
        return $"{f.Countries:N0} invented countries, {f.Passages:N0} passages, {f.Questions:N0} questions";
    }

    /// <summary>One hash over the names and bytes of the folder's files, in ordinal name order.</summary>
    private static string FolderSha256(string folder)
    {
        var files = Directory.EnumerateFiles(folder).OrderBy(Path.GetFileName, StringComparer.Ordinal);
        return StageFiles.Sha256Text(string.Join("\n", files.Select(f => $"{Path.GetFileName(f)} {StageFiles.Sha256(f)}")));
    }
}
