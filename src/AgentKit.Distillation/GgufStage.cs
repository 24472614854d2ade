using System.Text.Json.Nodes;
using AgentKit.Training.Export;
using AgentKit.Training.Sft;

namespace AgentKit.Distillation;

/// <summary>Exports the final checkpoint with its tokenizer as <c>model.gguf</c> (<see cref="CheckpointExport"/>, as <c>agentkit export gguf</c> does).</summary>
internal sealed class GgufStage(DistillContext context) : IDistillStage
{
    private readonly string _type = context.Recipe.Recipe.Export.Type;

    public string Name => "gguf";

    public string Output => WorkFiles.Gguf;

    public JsonObject Parameters => new() { ["type"] = _type };

    public bool HasOutput => File.Exists(OutputPath);

    private string OutputPath => context.Work(WorkFiles.Gguf);

    public StagePlan Assess(StageRecord? record) => HasOutput && record?.Status == StageLedger.Done ? StagePlan.Skip : StagePlan.Run;

    public void Preflight()
    {
    }

    public void Reset() => StageFiles.Delete(OutputPath);

    public Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        // Written beside the output and moved into place, so a stopped run never leaves a half-written model.gguf.
        var staging = OutputPath + ".tmp";
        var report = CheckpointExport.Run(new CheckpointExportOptions
        {
            Checkpoint = Path.Combine(context.Work(WorkFiles.Sft), SftTrainer.FinalCheckpoint),
            Output = staging,
            Type = GgufExportOptions.ParseType(_type),
            Threads = context.Threads ?? Environment.ProcessorCount,
        });
        File.Move(staging, OutputPath, overwrite: true);
        return Task.FromResult(StageFiles.ToNode(new GgufFigures(OutputPath, _type, report.Bytes, report.Parameters)));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<GgufFigures>(results);
        return $"{f.Type}, {f.Parameters:N0} parameters, {f.Bytes / 1048576.0:F2} MiB";
    }
}
