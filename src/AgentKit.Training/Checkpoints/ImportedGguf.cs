using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Checkpoints;

/// <summary>A GGUF loaded back into TorchSharp by <see cref="GgufImport.Load"/>: the model (float32, HF layout) and its tokenizer.</summary>
public sealed class ImportedGguf : IDisposable
{
    internal ImportedGguf(LlamaForCausalLM model, ByteLevelBpeTokenizer tokenizer, string tensorTypes)
    {
        Model = model;
        Tokenizer = tokenizer;
        TensorTypes = tensorTypes;
    }

    /// <summary>The model, with HF parameter names and rotate-half Q/K rows (as <see cref="CheckpointIO"/> saves it).</summary>
    public LlamaForCausalLM Model { get; }

    /// <summary>The byte-level BPE tokenizer rebuilt from <c>tokenizer.ggml.*</c>.</summary>
    public ByteLevelBpeTokenizer Tokenizer { get; }

    /// <summary>Storage types found in the GGUF, e.g. <c>F16, F32</c>.</summary>
    public string TensorTypes { get; }

    /// <summary>Disposes the model.</summary>
    public void Dispose() => Model.Dispose();
}
