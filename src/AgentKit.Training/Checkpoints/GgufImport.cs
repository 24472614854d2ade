using AgentKit.Models.Gguf;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using static TorchSharp.torch;

namespace AgentKit.Training.Checkpoints;

/// <summary>
/// Loads a llama or qwen2 GGUF back into a TorchSharp checkpoint: the inverse of <see cref="Export.GgufExporter"/>, and
/// the way into training for any such GGUF (F32, F16, BF16 or Q8_0 tensors; all become float32). The config comes
/// from the <c>{arch}.*</c> metadata, llama's Q/K rows go back from llama.cpp's interleaved RoPE pairs to HF's
/// rotate-half halves, a missing <c>output.weight</c> means tied embeddings, and the tokenizer is rebuilt from
/// <c>tokenizer.ggml.*</c>.
/// <code>
/// var report = GgufImport.Run(new GgufImportOptions { Model = "model.gguf", Output = "runs/imported" }.Validate());
/// </code>
/// </summary>
public static class GgufImport
{
    /// <summary>Reads <paramref name="path"/> into a model and tokenizer.</summary>
    /// <exception cref="Models.ModelLoadException">The file is missing, not GGUF, truncated or inconsistent.</exception>
    /// <exception cref="NotSupportedException">Another architecture, tokenizer or tensor type (the message names it).</exception>
    /// <exception cref="InvalidDataException">A tensor is missing, unexpected or of the wrong shape (the message names it).</exception>
    public static ImportedGguf Load(string path)
    {
        var file = GgufReader.Read(path);
        if (file.Architecture is not { } arch || !GgufLlamaConfig.Architectures.Contains(arch))
            throw new NotSupportedException(
                $"Cannot import '{path}': its architecture is '{file.Architecture ?? "(none)"}'; the import reads {string.Join(" and ", GgufLlamaConfig.Architectures)} models.");
        GgufModelValidator.Check(file, path);
        GgufTensorData.RequireSupported(file, path);
        var config = GgufLlamaConfig.Read(file, path);
        var tokenizer = GgufTokenizerJson.Read(file, path);

        var names = TensorNames(config).ToList();
        var byName = file.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        if (names.FirstOrDefault(n => !byName.ContainsKey(n.Gguf)) is { Gguf: not null } missing)
            throw new InvalidDataException($"Cannot import '{path}': it has no tensor '{missing.Gguf}' (the model's '{missing.Hf}').");
        var known = names.Select(n => n.Gguf).ToHashSet(StringComparer.Ordinal);
        if (file.Tensors.FirstOrDefault(t => !known.Contains(t.Name)) is { } extra)
            throw new NotSupportedException($"Cannot import '{path}': tensor '{extra.Name}' has no place in a {arch} LlamaForCausalLM (dropping it would change the model).");

        var model = new LlamaForCausalLM(config, seed: 0);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var _ = no_grad();
            var state = model.state_dict();
            foreach (var (gguf, hf, heads) in names)
            {
                var info = byName[gguf];
                using var scope = NewDisposeScope();
                // GGUF lists dimensions innermost first: [in, out] is a torch [out, in] matrix.
                var value = tensor(GgufTensorData.Read(stream, file, info), [.. info.Dimensions.Reverse()]);
                if (heads is { } h)
                    value = UnpermuteFromLlamaCpp(value, h);
                var target = state[hf];
                if (!target.shape.SequenceEqual(value.shape))
                    throw new InvalidDataException(
                        $"Cannot import '{path}': tensor '{gguf}' has shape [{string.Join(", ", value.shape)}], the model's '{hf}' is [{string.Join(", ", target.shape)}].");
                target.copy_(value);
            }
            var types = string.Join(", ", file.Tensors.Select(t => t.Type).Distinct().Order());
            return new ImportedGguf(model, tokenizer, types);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Imports <paramref name="options"/>' GGUF as a checkpoint directory that <see cref="CheckpointIO.Load"/>, <c>train sft
    /// --base</c> and <c>export gguf</c> read. The directory is written under a temporary name and renamed when
    /// complete, so a failed import leaves nothing behind. <paramref name="timeProvider"/> (default: the system clock) times it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> are invalid (<see cref="GgufImportOptions.Validate"/>).</exception>
    public static GgufImportReport Run(GgufImportOptions options, TimeProvider? timeProvider = null)
    {
        options.Validate();
        var time = timeProvider ?? TimeProvider.System;
        var started = time.GetTimestamp();
        using var imported = Load(options.Model);
        var output = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.Output));
        var staging = output + ".importing-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            CheckpointIO.Save(imported.Model, staging);
            imported.Tokenizer.Save(Path.Combine(staging, TokenizerLoader.FileName));
            if (Directory.Exists(output))
                Directory.Delete(output); // empty, as Validate checked
            Directory.Move(staging, output);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
        var config = imported.Model.Config;
        return new GgufImportReport(options.Model, options.Output, config.ModelType, imported.TensorTypes, config.ParameterCount(),
            config.NumHiddenLayers, config.HiddenSize, config.VocabSize, imported.Tokenizer.VocabSize,
            Math.Round(time.GetElapsedTime(started).TotalSeconds, 3));
    }

    /// <summary>
    /// llama.cpp → HF row order for Q/K of the llama arch, the inverse of <see cref="Export.GgufExporter.PermuteForLlamaCpp"/>:
    /// within each head, interleaved RoPE pairs become the two rotate-half halves. Works on weights [out, in] and biases [out].
    /// </summary>
    public static Tensor UnpermuteFromLlamaCpp(Tensor weight, int heads)
    {
        var shape = weight.shape;
        long[] view = [heads, shape[0] / heads / 2, 2, .. shape.Skip(1)];
        return weight.reshape(view).transpose(1, 2).reshape(shape);
    }

    /// <summary>GGUF name, HF name and, for llama's Q/K, the heads to un-permute over, of every tensor the model has.</summary>
    private static IEnumerable<(string Gguf, string Hf, int? Heads)> TensorNames(LlamaConfig config)
    {
        var permute = config.ModelType == "llama";
        int? queryHeads = permute ? config.NumAttentionHeads : null, keyHeads = permute ? config.NumKeyValueHeads : null;
        yield return ("token_embd.weight", "model.embed_tokens.weight", null);
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            string hf = $"model.layers.{i}.", gg = $"blk.{i}.";
            yield return (gg + "attn_norm.weight", hf + "input_layernorm.weight", null);
            yield return (gg + "attn_q.weight", hf + "self_attn.q_proj.weight", queryHeads);
            yield return (gg + "attn_k.weight", hf + "self_attn.k_proj.weight", keyHeads);
            yield return (gg + "attn_v.weight", hf + "self_attn.v_proj.weight", null);
            yield return (gg + "attn_output.weight", hf + "self_attn.o_proj.weight", null);
            if (config.HasQkvBias)
            {
                yield return (gg + "attn_q.bias", hf + "self_attn.q_proj.bias", queryHeads);
                yield return (gg + "attn_k.bias", hf + "self_attn.k_proj.bias", keyHeads);
                yield return (gg + "attn_v.bias", hf + "self_attn.v_proj.bias", null);
            }
            yield return (gg + "ffn_norm.weight", hf + "post_attention_layernorm.weight", null);
            yield return (gg + "ffn_gate.weight", hf + "mlp.gate_proj.weight", null);
            yield return (gg + "ffn_up.weight", hf + "mlp.up_proj.weight", null);
            yield return (gg + "ffn_down.weight", hf + "mlp.down_proj.weight", null);
        }
        yield return ("output_norm.weight", "model.norm.weight", null);
        if (!config.TieWordEmbeddings)
            yield return ("output.weight", "lm_head.weight", null);
    }
}
