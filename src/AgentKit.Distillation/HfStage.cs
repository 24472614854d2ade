using System.Text.Json.Nodes;
using AgentKit.Training.Export;
using AgentKit.Training.Sft;

namespace AgentKit.Distillation;

/// <summary>
/// Writes the final checkpoint as a Hugging Face folder into <c>hf/</c> (<see cref="HfExport"/>, as <c>agentkit export hf</c>
/// does: base weights plus a PEFT adapter, or merged), for transformers and vLLM users. The pipeline then copies it to
/// <c>export.hf.out</c>.
/// </summary>
internal sealed class HfStage(DistillContext context, HfExportRecipe hf) : IDistillStage
{
    public string Name => "hf";

    public string Output => WorkFiles.Hf + "/";

    public JsonObject Parameters => new() { ["merge"] = hf.Merge, ["dtype"] = hf.Dtype };

    public bool HasOutput => Directory.Exists(OutputPath);

    private string OutputPath => context.Work(WorkFiles.Hf);

    public StagePlan Assess(StageRecord? record) => HasOutput && record?.Status == StageLedger.Done ? StagePlan.Skip : StagePlan.Run;

    public void Preflight()
    {
    }

    public void Reset()
    {
        StageFiles.Delete(OutputPath);
        StageFiles.Delete(StagingPath);
    }

    // Written beside the output and moved into place, so a stopped run never leaves a half-written hf/.
    private string StagingPath => OutputPath + ".tmp";

    public Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        Reset();
        var report = HfExport.Run(hf.ToOptions(Path.Combine(context.Work(WorkFiles.Sft), SftTrainer.FinalCheckpoint), StagingPath), context.Time);
        Directory.Move(StagingPath, OutputPath);
        return Task.FromResult(StageFiles.ToNode(new HfFigures(OutputPath, report.AdapterOutput is null ? null : Path.Combine(OutputPath, HfExport.AdapterFolder),
            report.Type, report.Shards, report.Bytes, report.Parameters)));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<HfFigures>(results);
        return $"{f.Type}, {f.Shards} weight file(s){(f.Adapter is null ? "" : " + PEFT adapter")}, {f.Bytes / 1048576.0:F2} MiB";
    }
}
