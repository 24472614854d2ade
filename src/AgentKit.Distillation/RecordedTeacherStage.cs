using System.Text.Json.Nodes;

namespace AgentKit.Distillation;

/// <summary>
/// Uses trajectories recorded elsewhere (for example by <c>agentkit record</c> with a large teacher model):
/// copies the file into the work folder, so the work folder holds everything the student was made from.
/// </summary>
internal sealed class RecordedTeacherStage : ITeacherStage
{
    private readonly DistillContext _context;
    private readonly string _source;

    public RecordedTeacherStage(DistillContext context)
    {
        _context = context;
        var file = context.Recipe.Recipe.Teacher.File!;
        _source = context.Recipe.FromRecipe(file);
        if (!File.Exists(_source))
            throw new DistillConfigurationException($"teacher.file: trajectory file not found: {_source}");
        Parameters = new JsonObject { ["kind"] = TeacherRecipe.Trajectories, ["file"] = file, ["sha256"] = StageFiles.Sha256(_source) };
    }

    public string Name => "teacher";

    public string Output => WorkFiles.Teacher;

    public JsonObject Parameters { get; }

    public IReadOnlyList<string>? TaskOrder => null;

    public bool HasOutput => File.Exists(OutputPath);

    private string OutputPath => _context.Work(WorkFiles.Teacher);

    public StagePlan Assess(StageRecord? record) => HasOutput && record?.Status == StageLedger.Done ? StagePlan.Skip : StagePlan.Run;

    public void Preflight()
    {
    }

    public void Reset() => StageFiles.Delete(OutputPath);

    public Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        var staging = OutputPath + ".tmp";
        File.Copy(_source, staging, overwrite: true);
        File.Move(staging, OutputPath, overwrite: true);
        var (runs, correct) = TrajectoryFile.Count(OutputPath);
        if (runs == 0)
            throw new InvalidDataException($"{_source} holds no readable trajectory.");
        return Task.FromResult(StageFiles.ToNode(new TeacherFigures(runs, correct, null, runs)));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<TeacherFigures>(results);
        return $"{f.Runs:N0} recorded runs, {f.Correct:N0} correct";
    }
}
