using System.Text;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;

namespace AgentKit.Cli.Distillation;

/// <summary>
/// Turns the teacher's trajectories into SFT chat examples (<see cref="SftExporter"/>), the correct runs only
/// unless the recipe says otherwise. With a question list, examples follow its order, not the order in which
/// parallel or resumed teacher runs happened to finish: the same recipe then gives the same data, tokenizer and model.
/// </summary>
/// <param name="context">The run.</param>
/// <param name="taskOrder">Task ids in question order, or null to keep the file's order.</param>
internal sealed class SftDataStage(DistillContext context, IReadOnlyList<string>? taskOrder) : IDistillStage
{
    private readonly bool _onlyCorrect = context.Recipe.Recipe.OnlyCorrect;

    public string Name => "sft-data";

    public string Output => WorkFiles.SftData;

    public JsonObject Parameters => new() { ["only_correct"] = _onlyCorrect };

    public bool HasOutput => File.Exists(OutputPath);

    private string OutputPath => context.Work(WorkFiles.SftData);

    public StagePlan Assess(StageRecord? record) => HasOutput && record?.Status == StageLedger.Done ? StagePlan.Skip : StagePlan.Run;

    public void Preflight()
    {
    }

    public void Reset() => StageFiles.Delete(OutputPath);

    public Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        var read = JsonlTrajectoryReader.Read(context.Work(WorkFiles.Teacher));
        foreach (var warning in read.Warnings)
            context.Progress.Warning(warning);
        IEnumerable<TrajectoryRecord> records = read.Records;
        if (_onlyCorrect)
            records = records.Where(r => r.Score?.Correct == true);
        if (taskOrder is not null)
        {
            var rank = taskOrder.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
            records = records.OrderBy(r => rank.GetValueOrDefault(r.Task.Id, int.MaxValue)); // stable: ties keep the file's order
        }
        var staging = OutputPath + ".tmp";
        int written;
        using (var writer = new StreamWriter(staging, append: false, new UTF8Encoding(false)))
            written = SftExporter.Export(records, writer);
        if (written == 0)
        {
            File.Delete(staging);
            throw new InvalidDataException($"no usable run among {read.Records.Count} in {WorkFiles.Teacher}{(_onlyCorrect ? " (only_correct is set)" : "")}: nothing to train on.");
        }
        File.Move(staging, OutputPath, overwrite: true);
        return Task.FromResult(StageFiles.ToNode(new SftDataFigures(read.Records.Count, written, read.Warnings.Count)));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<SftDataFigures>(results);
        return $"{f.Examples:N0} examples from {f.Runs:N0} runs";
    }
}
