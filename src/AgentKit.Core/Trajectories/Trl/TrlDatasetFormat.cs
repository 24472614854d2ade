namespace AgentKit.Core.Trajectories.Trl;

/// <summary>The Hugging Face TRL dataset types <see cref="TrlExporter"/> writes (all in TRL's conversational format).</summary>
public enum TrlDatasetFormat
{
    /// <summary>
    /// Conversational language modeling for <c>SFTTrainer</c>: one line per usable run,
    /// <c>{"messages":[{"role","content"},…]}</c>. Train with <c>assistant_only_loss=True</c> to learn only the agent's turns.
    /// </summary>
    Sft,

    /// <summary>
    /// Conversational prompt-completion for <c>SFTTrainer</c>: one line per model request of a usable run,
    /// <c>{"prompt":[…messages],"completion":[{"role":"assistant","content"}]}</c>; TRL computes the loss on the completion only.
    /// </summary>
    PromptCompletion,

    /// <summary>
    /// Conversational prompt-only for <c>GRPOTrainer</c>: one line per distinct action-step prompt,
    /// <c>{"prompt":[…messages],"answer","task_id","step"}</c>; the extra columns reach reward functions as keyword arguments.
    /// </summary>
    Grpo,
}
