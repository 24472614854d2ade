using AgentKit.TestUtils;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;

namespace AgentKit.Cli.Tests;

/// <summary>A one-layer TorchSharp checkpoint with its tokenizer, for the verbs that read checkpoints.</summary>
internal static class TinyCheckpoint
{
    public static string Create(int seed, int maxPositions = 64)
    {
        var dir = TinyModels.TempPath("checkpoint");
        Directory.CreateDirectory(dir);
        var tokenizer = BpeTrainer.Train(["hello world, hello agent", "the capital of Peru is Lima"], new BpeTrainerOptions { VocabSize = 300 });
        using (var model = new LlamaForCausalLM(new LlamaConfig
        {
            VocabSize = tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1,
            NumAttentionHeads = 2, NumKeyValueHeads = 1, MaxPositionEmbeddings = maxPositions,
        }, seed))
            CheckpointIO.Save(model, dir);
        tokenizer.Save(Path.Combine(dir, "tokenizer.json"));
        return dir;
    }
}
