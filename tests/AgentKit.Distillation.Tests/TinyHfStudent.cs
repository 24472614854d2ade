using AgentKit.TestUtils;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using AgentKit.Training.Sft;
using AgentKit.Training.Tokenization;

namespace AgentKit.Distillation.Tests;

/// <summary>
/// A tiny random-init Qwen2 checkpoint in Hugging Face layout (<c>config.json</c> with Qwen2's keys, <c>model.safetensors</c>,
/// <c>tokenizer.json</c> with the ChatML special tokens): the stand-in for <c>models/Qwen2.5-0.5B-Instruct</c> in a recipe's
/// <c>student.init</c>. One layer, 32 wide, 2048 positions.
/// </summary>
internal static class TinyHfStudent
{
    public static string Create()
    {
        var folder = TinyModels.TempPath("qwen2-student");
        Directory.CreateDirectory(folder);
        var tokenizer = BpeTrainer.Train(["Find the population for Switzerland.", "Thought: search the atlas.\nCode:\nvar hits = Search(task);"],
            new BpeTrainerOptions { VocabSize = 300, SpecialTokens = ChatFormat.SpecialTokens }.Validate());
        using (var model = new LlamaForCausalLM(new LlamaConfig
        {
            ModelType = "qwen2", VocabSize = tokenizer.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1,
            NumAttentionHeads = 2, NumKeyValueHeads = 1, MaxPositionEmbeddings = 2048, RopeTheta = 1_000_000,
        }, seed: 5))
            CheckpointIO.Save(model, folder);
        tokenizer.Save(Path.Combine(folder, TokenizerLoader.FileName));
        return folder;
    }
}
