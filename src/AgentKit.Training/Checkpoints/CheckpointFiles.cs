namespace AgentKit.Training.Checkpoints;

/// <summary>File names inside a checkpoint directory (the Hugging Face / PEFT conventions).</summary>
public static class CheckpointFiles
{
    /// <summary>HF model config.</summary>
    public const string Config = "config.json";
    /// <summary>Single-file weights.</summary>
    public const string Weights = "model.safetensors";
    /// <summary>Index of sharded weights (<c>weight_map</c>: tensor name → shard file).</summary>
    public const string WeightsIndex = "model.safetensors.index.json";
    /// <summary>PEFT LoRA adapter config.</summary>
    public const string AdapterConfig = "adapter_config.json";
    /// <summary>PEFT LoRA adapter weights.</summary>
    public const string AdapterWeights = "adapter_model.safetensors";
    /// <summary>The resolved training configuration that produced the checkpoint.</summary>
    public const string TrainingConfig = "training_config.json";
    /// <summary>Trainer position (step, epoch, RNG) for resuming.</summary>
    public const string TrainerState = "trainer_state.json";
    /// <summary>AdamW moments and step counts for resuming, in TorchSharp's own optimizer state format.</summary>
    public const string OptimizerState = "optimizer.bin";
    /// <summary>PEFT's prefix before HF parameter names in adapter files.</summary>
    public const string PeftPrefix = "base_model.model.";
}
