using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using static TorchSharp.torch;

namespace AgentKit.Training.Export;

/// <summary>
/// Writes a checkpoint as a Hugging Face model folder that transformers (and PEFT) load: <c>config.json</c>,
/// <c>model.safetensors</c> (or shards + <c>model.safetensors.index.json</c>) in f32, bf16 or f16, <c>tokenizer.json</c>
/// and <c>tokenizer_config.json</c> (the checkpoint's own, else one with the ChatML template); LoRA either merged or
/// written as a PEFT adapter in <c>adapter/</c>. The folder is built under a temporary name and renamed when complete.
/// <code>
/// var report = HfExport.Run(new HfExportOptions { Checkpoint = "runs/sft/final", Output = "hf/student" }.Validate());
/// </code>
/// </summary>
public static class HfExport
{
    /// <summary>The PEFT adapter's folder inside the output.</summary>
    public const string AdapterFolder = "adapter";

    /// <summary>Loads, attaches or merges adapters and writes the folder; <paramref name="timeProvider"/> (default: the system clock) times it.</summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (<see cref="HfExportOptions.Validate"/>).</exception>
    /// <exception cref="InvalidDataException">The checkpoint or adapter cannot be read or does not fit the model.</exception>
    public static HfExportReport Run(HfExportOptions options, TimeProvider? timeProvider = null)
    {
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var started = time.GetTimestamp();
        using var model = CheckpointIO.Load(options.Checkpoint);
        if (options.Adapter is not null)
        {
            if (model.HasLora)
                model.MergeLora();
            PeftAdapter.Load(model, options.Adapter);
        }
        if (options.Merge && model.HasLora)
            model.MergeLora();

        var output = Path.GetFullPath(options.Output);
        var staging = output + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(staging);
        try
        {
            var shards = Write(model, options, staging, output);
            if (Directory.Exists(output))
                Directory.Delete(output); // validated empty
            Directory.Move(staging, output);
            var lora = model.Lora is not null;
            return new HfExportReport(options.Checkpoint, options.Adapter, options.Output, lora ? Path.Combine(options.Output, AdapterFolder) : null,
                TypeName(options.DType), model.Config.ModelType, model.Config.ParameterCount(), shards,
                Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length),
                Math.Round(time.GetElapsedTime(started).TotalSeconds, 3));
        }
        catch
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static int Write(LlamaForCausalLM model, HfExportOptions options, string directory, string finalPath)
    {
        (model.Config with { TorchDtype = TorchDtypeName(options.DType) }).Save(Path.Combine(directory, CheckpointFiles.Config));
        var state = model.state_dict();
        var weights = state.Where(p => !CheckpointIO.IsAdapterName(p.Key)).ToList();
        var shards = WriteWeights(weights, options.DType, options.MaxShardBytes, directory);

        File.Copy(Path.Combine(options.Checkpoint, TokenizerLoader.FileName), Path.Combine(directory, TokenizerLoader.FileName));
        ChatTemplateFile.CopyCompanions(options.Checkpoint, directory);
        if (!File.Exists(Path.Combine(directory, ChatTemplateFile.TokenizerConfig)))
            WriteTokenizerConfig(Path.Combine(directory, TokenizerLoader.FileName), model.Config, Path.Combine(directory, ChatTemplateFile.TokenizerConfig));

        if (model.Lora is { } lora)
        {
            var adapterDirectory = Directory.CreateDirectory(Path.Combine(directory, AdapterFolder)).FullName;
            var adapter = state.Where(p => CheckpointIO.IsAdapterName(p.Key))
                .Select(p => KeyValuePair.Create(CheckpointFiles.PeftPrefix + p.Key, p.Value)).ToList();
            SafetensorsWriter.Write(Path.Combine(adapterDirectory, CheckpointFiles.AdapterWeights), adapter, options.DType);
            // PEFT finds the base through this path: the folder as it will be named once complete.
            File.WriteAllText(Path.Combine(adapterDirectory, CheckpointFiles.AdapterConfig),
                PeftAdapterConfig.Json(lora, finalPath).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        return shards;
    }

    /// <summary>One file when it fits <paramref name="maxShardBytes"/>, else HF's <c>model-0000k-of-0000n.safetensors</c> and an index.</summary>
    private static int WriteWeights(List<KeyValuePair<string, Tensor>> weights, ScalarType type, long maxShardBytes, string directory)
    {
        var size = SafetensorsWriter.ElementSize(type);
        var groups = new List<List<KeyValuePair<string, Tensor>>> { new() };
        long current = 0, total = 0;
        foreach (var pair in weights)
        {
            var bytes = pair.Value.numel() * size;
            if (current > 0 && current + bytes > maxShardBytes)
            {
                groups.Add([]);
                current = 0;
            }
            groups[^1].Add(pair);
            current += bytes;
            total += bytes;
        }
        if (groups.Count == 1)
        {
            SafetensorsWriter.Write(Path.Combine(directory, CheckpointFiles.Weights), groups[0], type);
            return 1;
        }
        var map = new JsonObject();
        foreach (var (index, group) in groups.Index())
        {
            var name = $"model-{index + 1:D5}-of-{groups.Count:D5}.safetensors";
            SafetensorsWriter.Write(Path.Combine(directory, name), group, type);
            foreach (var (tensorName, _) in group)
                map[tensorName] = name;
        }
        var indexJson = new JsonObject { ["metadata"] = new JsonObject { ["total_size"] = total }, ["weight_map"] = map };
        File.WriteAllText(Path.Combine(directory, CheckpointFiles.WeightsIndex), indexJson.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return groups.Count;
    }

    // transformers' AutoTokenizer needs tokenizer_config.json for the special tokens and the chat template.
    private static void WriteTokenizerConfig(string tokenizerPath, LlamaConfig config, string path)
    {
        var tokenizer = TokenizerLoader.Load(tokenizerPath);
        var chatMl = tokenizer.SpecialTokenId(ChatFormat.ImStart) is not null && tokenizer.SpecialTokenId(ChatFormat.ImEnd) is not null;
        var endOfText = tokenizer.SpecialTokenId(ChatFormat.EndOfText) is not null ? ChatFormat.EndOfText : null;
        var json = new JsonObject
        {
            ["tokenizer_class"] = "PreTrainedTokenizerFast",
            ["model_max_length"] = config.MaxPositionEmbeddings,
            ["bos_token"] = null,
            ["eos_token"] = chatMl ? ChatFormat.ImEnd : endOfText,
            ["pad_token"] = endOfText,
            ["add_bos_token"] = false,
            ["clean_up_tokenization_spaces"] = false,
        };
        if (chatMl)
            json["chat_template"] = ChatFormat.JinjaTemplate;
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string TypeName(ScalarType type) => type switch
    {
        ScalarType.BFloat16 => "bf16",
        ScalarType.Float16 => "f16",
        _ => "f32",
    };

    private static string TorchDtypeName(ScalarType type) => type switch
    {
        ScalarType.BFloat16 => "bfloat16",
        ScalarType.Float16 => "float16",
        _ => "float32",
    };
}
