using System.Diagnostics;
using System.Text.Json;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using static TorchSharp.torch;

namespace AgentKit.Training.Checkpoints;

/// <summary>
/// Mixes two checkpoints of one model weight by weight, θ = (1 − w)·θ_base + w·θ_tuned (WiSE-FT, Wortsman et al. 2022):
/// a fine-tuning run (SFT, GRPO) often gains on what it trained and loses elsewhere, and a point between the two models
/// can keep most of the gain and most of what the base knew. Pick w on a validation set, never on the test split.
/// </summary>
public static class CheckpointInterpolation
{
    /// <summary>The file beside the weights that records the recipe (both inputs and the weight).</summary>
    public const string RecipeFile = "interpolation.json";

    /// <summary>Writes the mixed checkpoint (float32 weights, the base's config, tokenizer and chat template) to <see cref="CheckpointInterpolationOptions.Output"/>.</summary>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    /// <exception cref="InvalidDataException">The two checkpoints are not the same architecture or tokenizer, or a file is corrupt.</exception>
    public static CheckpointInterpolationReport Run(CheckpointInterpolationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        CheckSameModel(options.Base, options.Tuned);
        using var model = CheckpointIO.Load(options.Base);
        var tuned = CheckpointIO.ReadWeights(options.Tuned);
        double squaredDistance = 0;
        long parameters = 0;
        try
        {
            using var _ = no_grad();
            foreach (var (name, weight) in model.state_dict())
            {
                if (!tuned.TryGetValue(name, out var other))
                    throw new InvalidDataException($"Checkpoint '{options.Tuned}' lacks tensor '{name}' that '{options.Base}' has.");
                if (!weight.shape.SequenceEqual(other.shape))
                    throw new InvalidDataException($"Tensor '{name}' is [{string.Join(", ", weight.shape)}] in '{options.Base}' and [{string.Join(", ", other.shape)}] in '{options.Tuned}'.");
                using var difference = other - weight;
                using var squared = difference.square().sum();
                squaredDistance += squared.item<float>();
                weight.add_(difference, alpha: options.Weight);
                parameters += weight.numel();
            }
        }
        finally
        {
            foreach (var tensor in tuned.Values)
                tensor.Dispose();
        }
        CheckpointIO.Save(model, options.Output); // creates the folder
        var tokenizer = Path.Combine(options.Base, TokenizerLoader.FileName);
        if (File.Exists(tokenizer))
            File.Copy(tokenizer, Path.Combine(options.Output, TokenizerLoader.FileName));
        ChatTemplateFile.CopyCompanions(options.Base, options.Output);
        var report = new CheckpointInterpolationReport(Path.GetFullPath(options.Base), Path.GetFullPath(options.Tuned), options.Weight,
            Path.GetFullPath(options.Output), parameters, Math.Sqrt(squaredDistance), Math.Round(clock.Elapsed.TotalSeconds, 2));
        File.WriteAllText(Path.Combine(options.Output, RecipeFile), JsonSerializer.Serialize(
            new { report.Base, report.Tuned, report.Weight }, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower }));
        return report;
    }

    // Same shapes are not enough: a mix of two tokenizers' embeddings, or of models with other head counts, is noise.
    private static void CheckSameModel(string basePath, string tunedPath)
    {
        var a = LlamaConfig.Load(Path.Combine(basePath, CheckpointFiles.Config));
        var b = LlamaConfig.Load(Path.Combine(tunedPath, CheckpointFiles.Config));
        var architecture = (LlamaConfig c) => (c.ModelType, c.VocabSize, c.HiddenSize, c.IntermediateSize, c.NumHiddenLayers, c.NumAttentionHeads,
            c.NumKeyValueHeads, c.TieWordEmbeddings, c.RopeTheta, c.RmsNormEps);
        if (architecture(a) != architecture(b))
            throw new InvalidDataException($"'{basePath}' and '{tunedPath}' are different architectures: {architecture(a)} against {architecture(b)}.");
        var tokenizerA = Path.Combine(basePath, TokenizerLoader.FileName);
        var tokenizerB = Path.Combine(tunedPath, TokenizerLoader.FileName);
        if (File.Exists(tokenizerA) && File.Exists(tokenizerB) && !File.ReadAllBytes(tokenizerA).AsSpan().SequenceEqual(File.ReadAllBytes(tokenizerB)))
            throw new InvalidDataException($"'{basePath}' and '{tunedPath}' have different tokenizers; their weights cannot be mixed.");
    }
}
