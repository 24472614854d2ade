using System.Text.Json.Nodes;
using AgentKit.Training.Sft;
using AgentKit.Training.Tokenization;

namespace AgentKit.Distillation;

/// <summary>Trains the byte-level BPE tokenizer on the SFT conversations, rendered exactly as the trainer sees them (ChatML).</summary>
internal sealed class TokenizerStage(DistillContext context) : IDistillStage
{
    private readonly int _vocabSize = context.Recipe.Recipe.Tokenizer!.VocabSize; // the stage exists only for a student from scratch

    public string Name => "tokenizer";

    public string Output => WorkFiles.Tokenizer;

    public JsonObject Parameters => new()
    {
        ["vocab_size"] = _vocabSize,
        ["special_tokens"] = new JsonArray([.. ChatFormat.SpecialTokens.Select(t => (JsonNode?)JsonValue.Create(t))]),
    };

    public bool HasOutput => File.Exists(OutputPath);

    private string OutputPath => context.Work(WorkFiles.Tokenizer);

    public StagePlan Assess(StageRecord? record) => HasOutput && record?.Status == StageLedger.Done ? StagePlan.Skip : StagePlan.Run;

    public void Preflight()
    {
    }

    public void Reset() => StageFiles.Delete(OutputPath);

    public Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        var texts = SftDataReader.Read(context.Work(WorkFiles.SftData))
            .Select(e => ChatFormat.Render(e.Messages.Select(m => (m.Role, m.Content)), addGenerationPrompt: false));
        var tokenizer = BpeTrainer.Train(texts, new BpeTrainerOptions { VocabSize = _vocabSize, SpecialTokens = ChatFormat.SpecialTokens }.Validate());
        var staging = OutputPath + ".tmp";
        tokenizer.Save(staging);
        File.Move(staging, OutputPath, overwrite: true);
        return Task.FromResult(StageFiles.ToNode(new TokenizerFigures(tokenizer.VocabSize, tokenizer.Merges.Count)));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<TokenizerFigures>(results);
        return $"{f.VocabSize:N0} tokens ({f.Merges:N0} merges)";
    }
}
