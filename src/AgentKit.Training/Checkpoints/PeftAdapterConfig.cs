using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentKit.Training.Model;

namespace AgentKit.Training.Checkpoints;

/// <summary>
/// Reads a PEFT <c>adapter_config.json</c> into <see cref="LoraSettings"/> for a given model. It resolves
/// <c>target_modules</c> the way PEFT does (a list entry matches a module whose name is it or ends with
/// <c>.entry</c>; a string is a regular expression the whole module name must match; <c>all-linear</c> is every
/// projection) and <c>layers_to_transform</c>, and refuses what the model cannot reproduce (DoRA, LoRA biases,
/// per-module ranks, saved full modules, Conv1D layouts, targets the model lacks) with an explanation.
/// </summary>
internal static class PeftAdapterConfig
{
    /// <summary>The <c>adapter_config.json</c> PEFT reads for <paramref name="lora"/>; <paramref name="baseModel"/> is its <c>base_model_name_or_path</c>.</summary>
    public static JsonObject Json(LoraSettings lora, string? baseModel = null)
    {
        var json = new JsonObject
        {
            ["peft_type"] = "LORA", ["task_type"] = "CAUSAL_LM", ["r"] = lora.Rank, ["lora_alpha"] = lora.Alpha,
            ["lora_dropout"] = lora.Dropout, ["bias"] = "none",
            ["target_modules"] = new JsonArray([.. lora.TargetModules.Select(m => (JsonNode)JsonValue.Create(m))]),
            ["use_rslora"] = lora.UseRsLora,
        };
        if (lora.LayersToTransform is { } layers)
            json["layers_to_transform"] = new JsonArray([.. layers.Select(l => (JsonNode)JsonValue.Create(l))]);
        if (baseModel is not null)
            json["base_model_name_or_path"] = baseModel;
        return json;
    }

    public static LoraSettings Read(string path, LlamaForCausalLM model)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException("it is not a JSON object");
            if ((string?)json["peft_type"] is { } type && type != "LORA")
                throw new InvalidDataException($"peft_type is '{type}', only LORA adapters load");
            RefuseUnsupported(json);
            var modules = model.NamedLinears().Select(m => (m.Name, m.Layer, m.Short)).ToList();
            var matched = MatchTargets(json["target_modules"], modules);
            if (json["layers_to_transform"] is JsonNode layersNode)
            {
                var layers = layersNode is JsonArray array ? array.Select(n => (int)n!).ToHashSet() : [(int)layersNode];
                matched = [.. matched.Where(m => layers.Contains(m.Layer))];
            }
            if (matched.Count == 0)
                throw new InvalidDataException("its target_modules and layers_to_transform select no projection of this model");
            var shorts = matched.Select(m => m.Short).Distinct().ToList();
            var layersUsed = matched.Select(m => m.Layer).Distinct().Order().ToList();
            // LoraSettings describe "these projections in these layers"; an adapter on any other set cannot be represented.
            if (shorts.Count * layersUsed.Count != matched.Count)
                throw new InvalidDataException("it adapts different projections in different layers, which this model does not support");
            return new LoraSettings
            {
                Rank = (int)json["r"]!,
                Alpha = (double)json["lora_alpha"]!,
                Dropout = (double?)json["lora_dropout"] ?? 0,
                UseRsLora = (bool?)json["use_rslora"] ?? false,
                TargetModules = shorts,
                LayersToTransform = layersUsed.Count == model.Config.NumHiddenLayers ? null : layersUsed,
            }.Validate();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException
                                       or NullReferenceException or InvalidDataException or RegexParseException)
        {
            throw new InvalidDataException($"Adapter config '{path}' cannot be loaded: {ex.Message.TrimEnd('.')}.", ex);
        }
    }

    private static void RefuseUnsupported(JsonObject json)
    {
        if ((bool?)json["use_dora"] == true)
            throw new InvalidDataException("use_dora is set; DoRA adapters are not supported");
        if ((string?)json["bias"] is { } bias && bias != "none")
            throw new InvalidDataException($"bias is '{bias}'; only adapters without trained biases (\"none\") are supported");
        if ((bool?)json["fan_in_fan_out"] == true)
            throw new InvalidDataException("fan_in_fan_out is set (a Conv1D model such as GPT-2); Llama-family projections are [out, in]");
        foreach (var key in new[] { "rank_pattern", "alpha_pattern" })
            if (json[key] is JsonObject { Count: > 0 })
                throw new InvalidDataException($"{key} gives some modules their own rank or alpha; only one rank and alpha are supported");
        if (json["modules_to_save"] is JsonArray { Count: > 0 } saved)
            throw new InvalidDataException($"modules_to_save ({string.Join(", ", saved)}) holds fully trained modules; only LoRA weights are supported");
    }

    private static List<(string Name, int Layer, string Short)> MatchTargets(JsonNode? targets, List<(string Name, int Layer, string Short)> modules)
    {
        switch (targets)
        {
            case JsonValue value when (string?)value == "all-linear":
                return modules;
            case JsonValue value:
                var pattern = new Regex($"^(?:{(string)value!})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                return [.. modules.Where(m => pattern.IsMatch(m.Name))];
            case JsonArray array:
                var entries = array.Select(n => (string)n!).ToList();
                var unmatched = entries.Where(e => !modules.Any(m => Matches(m.Name, e))).ToList();
                if (unmatched.Count > 0)
                    throw new InvalidDataException(
                        $"target module(s) {string.Join(", ", unmatched)} match no layer of this model (it adapts {string.Join(", ", LoraSettings.AllLinear)})");
                return [.. modules.Where(m => entries.Any(e => Matches(m.Name, e)))];
            default:
                throw new InvalidDataException("target_modules must be a list of module names or a regular expression");
        }
    }

    private static bool Matches(string module, string entry) => module == entry || module.EndsWith("." + entry, StringComparison.Ordinal);
}
