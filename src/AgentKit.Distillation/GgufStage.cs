using System.Text.Json.Nodes;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Export;
using AgentKit.Training.Sft;
using AgentKit.Training.Tokenization;

namespace AgentKit.Distillation;

/// <summary>Exports the final checkpoint with its tokenizer as <c>model.gguf</c> (<see cref="GgufExporter"/>).</summary>
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
        var checkpoint = Path.Combine(context.Work(WorkFiles.Sft), SftTrainer.FinalCheckpoint);
        using var model = CheckpointIO.Load(checkpoint);
        var tokenizerPath = Path.Combine(checkpoint, TokenizerLoader.FileName);
        var tokenizer = ByteLevelBpeTokenizer.Load(tokenizerPath);
        var staging = OutputPath + ".tmp";
        GgufExporter.Export(model, tokenizer, staging, new GgufExportOptions
        {
            Type = GgufExportOptions.ParseType(_type),
            PreTokenizer = GgufExportOptions.PreTokenizerFor(tokenizerPath, model.Config.ModelType),
            Threads = context.Threads ?? Environment.ProcessorCount,
        });
        File.Move(staging, OutputPath, overwrite: true);
        return Task.FromResult(StageFiles.ToNode(new GgufFigures(OutputPath, _type, new FileInfo(OutputPath).Length, model.Config.ParameterCount())));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<GgufFigures>(results);
        return $"{f.Type}, {f.Parameters:N0} parameters, {f.Bytes / 1048576.0:F2} MiB";
    }
}
