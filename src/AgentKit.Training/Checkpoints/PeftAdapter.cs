using System.Text.RegularExpressions;
using AgentKit.Training.Model;
using static TorchSharp.torch;

namespace AgentKit.Training.Checkpoints;

/// <summary>
/// Loads a PEFT LoRA adapter folder — <c>adapter_config.json</c> and <c>adapter_model.safetensors</c> as PEFT's
/// <c>save_pretrained</c> writes them, e.g. after training with TRL on another machine — onto a
/// <see cref="LlamaForCausalLM"/> of the same base model. Tensors are named
/// <c>base_model.model.&lt;module&gt;.lora_A.weight</c> ([r, in]) and <c>….lora_B.weight</c> ([out, r]), with or
/// without the adapter name before <c>weight</c>; f32, f16 and bf16 load (as f32). Every tensor must belong to a
/// module the config targets and every targeted module needs both, with the shapes the model's layer implies;
/// anything else is refused with <see cref="InvalidDataException"/> naming the tensor, so an adapter trained for
/// another base model never loads half-applied. The loaded model computes <c>W x + scaling · B A x</c>;
/// <see cref="LlamaForCausalLM.MergeLora"/> folds that into <c>W</c> for export.
/// </summary>
public static partial class PeftAdapter
{
    /// <summary>Attaches the adapter in <paramref name="directory"/> to <paramref name="model"/>; returns the settings it was loaded with.</summary>
    /// <exception cref="FileNotFoundException">A file of the adapter folder is missing.</exception>
    /// <exception cref="InvalidDataException">The adapter does not fit the model or uses a PEFT feature the model lacks.</exception>
    /// <exception cref="InvalidOperationException">The model already carries an adapter (merge it first).</exception>
    public static LoraSettings Load(LlamaForCausalLM model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        var configPath = Path.Combine(directory, CheckpointFiles.AdapterConfig);
        var weightsPath = Path.Combine(directory, CheckpointFiles.AdapterWeights);
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"No {CheckpointFiles.AdapterConfig} in '{directory}'.", configPath);
        if (!File.Exists(weightsPath))
            throw new FileNotFoundException($"No {CheckpointFiles.AdapterWeights} in '{directory}'.", weightsPath);
        if (model.HasLora)
            throw new InvalidOperationException("The model already carries a LoRA adapter; merge it before loading another.");

        var settings = PeftAdapterConfig.Read(configPath, model);
        var tensors = CheckpointIO.ReadSafetensors(weightsPath);
        try
        {
            var targets = model.NamedLinears().Where(m => settings.Adapts(m.Layer, m.Short)).ToDictionary(m => m.Name, m => m.Linear);
            var weights = Match(tensors, targets, weightsPath);
            foreach (var (module, linear) in targets)
            {
                CheckShape(weights[module].A, [settings.Rank, linear.InFeatures], module, "lora_A", weightsPath);
                CheckShape(weights[module].B, [linear.OutFeatures, settings.Rank], module, "lora_B", weightsPath);
            }
            // Everything fits: only now is the model changed, so a refused adapter leaves it as it was.
            model.AddLora(settings);
            using var _ = no_grad();
            foreach (var (module, linear) in targets)
            {
                linear.LoraA!.copy_(weights[module].A);
                linear.LoraB!.copy_(weights[module].B);
            }
            return settings;
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    // Pairs every tensor of the file with a targeted module; refuses strays and gaps before the model is touched.
    private static Dictionary<string, (Tensor A, Tensor B)> Match(Dictionary<string, Tensor> tensors, Dictionary<string, AdaptableLinear> targets, string origin)
    {
        var found = new Dictionary<string, (Tensor? A, Tensor? B)>();
        foreach (var (name, tensor) in tensors)
        {
            var match = LoraTensorName().Match(name);
            if (!match.Success || !targets.ContainsKey(match.Groups["module"].Value))
                throw new InvalidDataException(
                    $"Adapter '{origin}' holds tensor '{name}', which is not the LoRA weight of a module its config targets on this model " +
                    $"(expected e.g. '{CheckpointFiles.PeftPrefix}{targets.Keys.First()}.lora_A.weight').");
            var module = match.Groups["module"].Value;
            var pair = found.GetValueOrDefault(module);
            found[module] = match.Groups["matrix"].Value == "A" ? pair with { A = tensor } : pair with { B = tensor };
        }
        var missing = targets.Keys.Where(m => found.GetValueOrDefault(m) is not ({ }, { })).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"Adapter '{origin}' lacks the LoRA weights of {missing.Count} targeted module(s), e.g. {string.Join(", ", missing.Take(3))}.");
        return found.ToDictionary(p => p.Key, p => (p.Value.A!, p.Value.B!));
    }

    private static void CheckShape(Tensor tensor, long[] expected, string module, string matrix, string origin)
    {
        if (!tensor.shape.SequenceEqual(expected))
            throw new InvalidDataException(
                $"Adapter '{origin}': {module}.{matrix} has shape [{string.Join(", ", tensor.shape)}], this model needs [{string.Join(", ", expected)}] " +
                "(was the adapter trained for another base model or another rank?).");
    }

    [GeneratedRegex(@"^base_model\.model\.(?<module>.+)\.lora_(?<matrix>[AB])(?:\.[^.]+)?\.weight$")]
    private static partial Regex LoraTensorName();
}
