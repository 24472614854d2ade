using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Training.Model;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AgentKit.Training.Checkpoints;

/// <summary>
/// Loads and saves models as HF checkpoints: <c>config.json</c> + safetensors (single or sharded; bf16, f16 or
/// f32, always loaded as f32), plus an optional PEFT LoRA adapter. Tensor files go through TorchSharp.PyBridge.
/// </summary>
public static class CheckpointIO
{
    /// <summary>True when <paramref name="directory"/> looks like a checkpoint (has config.json and weights).</summary>
    public static bool IsCheckpoint(string directory) =>
        Directory.Exists(directory) && File.Exists(Path.Combine(directory, CheckpointFiles.Config)) &&
        (File.Exists(Path.Combine(directory, CheckpointFiles.Weights)) || File.Exists(Path.Combine(directory, CheckpointFiles.WeightsIndex)));

    /// <summary>Loads config, weights and, when present, the LoRA adapter of a checkpoint directory.</summary>
    public static LlamaForCausalLM Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Checkpoint directory '{directory}' does not exist.");
        var config = LlamaConfig.Load(Path.Combine(directory, CheckpointFiles.Config));
        var model = new LlamaForCausalLM(config);
        try
        {
            LoadWeights(model, directory);
            if (File.Exists(Path.Combine(directory, CheckpointFiles.AdapterConfig)))
                LoadAdapter(model, directory);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Saves <paramref name="model"/> (base weights; the adapter separately when attached) to a directory.</summary>
    public static void Save(LlamaForCausalLM model, string directory)
    {
        Directory.CreateDirectory(directory);
        // The tensors are written as float32 whatever the base was stored in (e.g. a bf16 HF checkpoint).
        (model.Config with { TorchDtype = "float32" }).Save(Path.Combine(directory, CheckpointFiles.Config));
        var state = model.state_dict();
        var baseWeights = state.Where(p => !IsAdapterName(p.Key)).ToDictionary(p => p.Key, p => p.Value.detach().cpu().contiguous());
        WriteAtomically(Path.Combine(directory, CheckpointFiles.Weights), path => Safetensors.SaveStateDict(path, baseWeights));
        var adapterConfig = Path.Combine(directory, CheckpointFiles.AdapterConfig);
        var adapterWeights = Path.Combine(directory, CheckpointFiles.AdapterWeights);
        if (model.Lora is { } lora)
        {
            var adapter = state.Where(p => IsAdapterName(p.Key)).ToDictionary(p => CheckpointFiles.PeftPrefix + p.Key, p => p.Value.detach().cpu().contiguous());
            WriteAtomically(adapterWeights, path => Safetensors.SaveStateDict(path, adapter));
            var json = PeftAdapterConfig.Json(lora);
            File.WriteAllText(adapterConfig, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            File.Delete(adapterConfig);
            File.Delete(adapterWeights);
        }
    }

    /// <summary>
    /// Copies weights from <paramref name="directory"/> (single or sharded safetensors) into the model. Every
    /// model parameter must be present with the same shape; <c>lm_head.weight</c> is ignored for tied models.
    /// </summary>
    public static void LoadWeights(LlamaForCausalLM model, string directory)
    {
        var tensors = ReadWeights(directory);
        try
        {
            var expected = model.state_dict().Where(p => !IsAdapterName(p.Key)).ToList();
            var missing = expected.Select(p => p.Key).Where(k => !tensors.ContainsKey(k)).ToList();
            if (missing.Count > 0)
                throw new InvalidDataException($"Checkpoint '{directory}' lacks {missing.Count} tensor(s), e.g. {string.Join(", ", missing.Take(3))}.");
            using var _ = no_grad();
            foreach (var (name, target) in expected)
                CopyInto(target, tensors[name], name, directory);
        }
        finally
        {
            foreach (var t in tensors.Values)
                t.Dispose();
        }
    }

    /// <summary>Attaches and loads a PEFT LoRA adapter (<c>adapter_config.json</c> + <c>adapter_model.safetensors</c>); see <see cref="PeftAdapter"/>.</summary>
    public static void LoadAdapter(LlamaForCausalLM model, string directory) => PeftAdapter.Load(model, directory);

    /// <summary>Reads all weight tensors of a checkpoint directory (or one .safetensors file), sharded or not.</summary>
    public static Dictionary<string, Tensor> ReadWeights(string path)
    {
        if (File.Exists(path))
            return ReadSafetensors(path);
        var single = Path.Combine(path, CheckpointFiles.Weights);
        if (File.Exists(single))
            return ReadSafetensors(single);
        var index = Path.Combine(path, CheckpointFiles.WeightsIndex);
        if (!File.Exists(index))
            throw new FileNotFoundException($"'{path}' has neither {CheckpointFiles.Weights} nor {CheckpointFiles.WeightsIndex}.", single);
        IEnumerable<string> shards;
        try
        {
            var map = JsonNode.Parse(File.ReadAllText(index))?["weight_map"] as JsonObject
                      ?? throw new InvalidDataException("no 'weight_map' object");
            shards = map.Select(p => (string)p.Value!).Distinct().ToList();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"Weight index '{index}' is invalid: {ex.Message}", ex);
        }
        var all = new Dictionary<string, Tensor>();
        foreach (var shard in shards)
        {
            if (shard.Contains("..") || Path.IsPathRooted(shard))
                throw new InvalidDataException($"Weight index '{index}' names a shard outside the checkpoint: '{shard}'.");
            foreach (var (name, t) in ReadSafetensors(Path.Combine(path, shard)))
                all[name] = t;
        }
        return all;
    }

    /// <summary>Reads one safetensors file, converting every floating tensor to float32.</summary>
    public static Dictionary<string, Tensor> ReadSafetensors(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Safetensors file '{path}' does not exist.", path);
        CheckSafetensorsHeader(path);
        Dictionary<string, Tensor> raw;
        try
        {
            raw = Safetensors.LoadStateDict(path);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"Safetensors file '{path}' could not be read: {ex.Message}", ex);
        }
        return raw.ToDictionary(p => p.Key, p =>
        {
            if (p.Value.dtype is ScalarType.Float32 || !p.Value.is_floating_point())
                return p.Value;
            var converted = p.Value.to_type(ScalarType.Float32);
            p.Value.Dispose();
            return converted;
        });
    }

    internal static bool IsAdapterName(string name) => name.Contains(".lora_A.") || name.Contains(".lora_B.");

    // A short check with a clear message before the parser sees a truncated or foreign file.
    private static void CheckSafetensorsHeader(string path)
    {
        using var stream = File.OpenRead(path);
        var lengthBytes = new byte[8];
        if (stream.Read(lengthBytes) != 8)
            throw new InvalidDataException($"Safetensors file '{path}' is truncated (no header length).");
        var headerLength = BitConverter.ToUInt64(lengthBytes);
        if (headerLength == 0 || headerLength > 100_000_000 || (long)headerLength + 8 > stream.Length)
            throw new InvalidDataException($"Safetensors file '{path}' is corrupt: header length {headerLength} does not fit a {stream.Length}-byte file.");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        JsonObject json;
        try
        {
            json = JsonNode.Parse(header) as JsonObject ?? throw new InvalidDataException("header is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Safetensors file '{path}' is corrupt: its header is not JSON ({ex.Message}).", ex);
        }
        var dataLength = stream.Length - 8 - (long)headerLength;
        foreach (var (name, node) in json)
        {
            if (name == "__metadata__")
                continue;
            if (node?["data_offsets"] is not JsonArray { Count: 2 } offsets || (long)offsets[1]! > dataLength)
                throw new InvalidDataException($"Safetensors file '{path}' is corrupt or truncated: tensor '{name}' lies outside the file.");
        }
    }

    private static void CopyInto(Tensor target, Tensor source, string name, string origin)
    {
        if (!target.shape.SequenceEqual(source.shape))
            throw new InvalidDataException($"Tensor '{name}' in '{origin}' has shape [{string.Join(", ", source.shape)}], the model expects [{string.Join(", ", target.shape)}].");
        target.copy_(source);
    }

    private static void WriteAtomically(string path, Action<string> write)
    {
        var temp = path + ".tmp";
        write(temp);
        File.Move(temp, path, overwrite: true);
    }
}
