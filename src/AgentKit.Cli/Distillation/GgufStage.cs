using System.Text.Json.Nodes;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Export;
using AgentKit.Training.Sft;
using AgentKit.Training.Tokenization;

namespace AgentKit.Cli.Distillation;

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
        var tokenizer = ByteLevelBpeTokenizer.Load(Path.Combine(checkpoint, TokenizerLoader.FileName));
        var staging = OutputPath + ".tmp";
        GgufExporter.Export(model, tokenizer, staging, new GgufExportOptions
        {
            Type = _type switch { "f32" => GgufExportType.F32, "q8_0" => GgufExportType.Q8_0, _ => GgufExportType.F16 },
            // The tokenizer stage always trains a byte-level BPE: llama.cpp pre-tokenizes it as gpt-2 (as 'agentkit export gguf' decides).
            PreTokenizer = "gpt-2",
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
