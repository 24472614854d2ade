namespace AgentKit.Distillation;

/// <summary>
/// A student fine-tuned from a Hugging Face checkpoint (<c>{"init": "models/Qwen2.5-0.5B-Instruct"}</c>), as
/// <c>agentkit train sft --init</c> does: the checkpoint's <c>config.json</c> gives the shape and its <c>tokenizer.json</c>
/// the tokenizer, so the recipe trains no tokenizer. The path is relative to the recipe's folder.
/// </summary>
public sealed record StudentRecipe
{
    /// <summary>The checkpoint folder: <c>config.json</c>, safetensors (single or sharded), <c>tokenizer.json</c>.</summary>
    public required string Init { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Init))
            throw new ArgumentException("student.init must be a checkpoint folder (config.json, safetensors, tokenizer.json).");
    }
}
