using System.Text;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;

namespace AgentKit.Distillation;

/// <summary>
/// Turns the teachers' trajectories into SFT chat examples (<see cref="SftExporter"/>), the correct runs only
/// unless the recipe says otherwise: the recipe's teacher first, then the invented atlas's teacher when there is
/// one. Within a teacher, examples follow its question order, not the order in which parallel or resumed runs
/// happened to finish: the same recipe then gives the same data, tokenizer and model.
/// </summary>
/// <param name="context">The run.</param>
/// <param name="teachers">The teacher stages, in the order their examples are written; the first is the recipe's own.</param>
internal sealed class SftDataStage(DistillContext context, IReadOnlyList<ITeacherStage> teachers) : IDistillStage
{
    private readonly bool _onlyCorrect = context.Recipe.Recipe.OnlyCorrect;

    public string Name => "sft-data";

    public string Output => WorkFiles.SftData;

    // Which trajectory files are in is only written with more than one, so work folders made before the synthetic teacher existed stay valid.
    public JsonObject Parameters => teachers.Count == 1
        ? new() { ["only_correct"] = _onlyCorrect }
        : new() { ["only_correct"] = _onlyCorrect, ["teachers"] = new JsonArray([.. teachers.Select(t => (JsonNode?)JsonValue.Create(t.Output))]) };

    public bool HasOutput => File.Exists(OutputPath);

    private string OutputPath => context.Work(WorkFiles.SftData);

    public StagePlan Assess(StageRecord? record) => HasOutput && record?.Status == StageLedger.Done ? StagePlan.Skip : StagePlan.Run;

    public void Preflight()
    {
    }

    public void Reset() => StageFiles.Delete(OutputPath);

    public Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        var staging = OutputPath + ".tmp";
        var (runs, unreadable) = (0, 0);
        var written = new List<int>();
        using (var writer = new StreamWriter(staging, append: false, new UTF8Encoding(false)))
        {
            foreach (var teacher in teachers)
            {
                var read = JsonlTrajectoryReader.Read(context.Work(teacher.Output));
                foreach (var warning in read.Warnings)
                    context.Progress.Warning($"{teacher.Output}: {warning}");
                runs += read.Records.Count;
                unreadable += read.Warnings.Count;
                written.Add(SftExporter.Export(Select(read.Records, teacher.TaskOrder), writer));
            }
        }
        if (written.Sum() == 0)
        {
            File.Delete(staging);
            throw new InvalidDataException(
                $"no usable run among {runs} in {string.Join(" and ", teachers.Select(t => t.Output))}{(_onlyCorrect ? " (only_correct is set)" : "")}: nothing to train on.");
        }
        File.Move(staging, OutputPath, overwrite: true);
        return Task.FromResult(StageFiles.ToNode(new SftDataFigures(runs, written.Sum(), unreadable, teachers.Count > 1 ? written.Skip(1).Sum() : null)));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<SftDataFigures>(results);
        return f.SyntheticExamples is int synthetic
            ? $"{f.Examples:N0} examples ({synthetic:N0} over the invented atlas) from {f.Runs:N0} runs"
            : $"{f.Examples:N0} examples from {f.Runs:N0} runs";
    }

    private IEnumerable<TrajectoryRecord> Select(IReadOnlyList<TrajectoryRecord> records, IReadOnlyList<string>? taskOrder)
    {
        IEnumerable<TrajectoryRecord> selected = records;
        if (_onlyCorrect)
            selected = selected.Where(r => r.Score?.Correct == true);
        if (taskOrder is null)
            return selected;
        var rank = taskOrder.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        return selected.OrderBy(r => rank.GetValueOrDefault(r.Task.Id, int.MaxValue)); // stable: ties keep the file's order
    }
}
