using AgentKit.Training.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace AgentKit.Training.Grpo;

/// <summary>
/// The frozen starting policy the KL term compares with (only when β &gt; 0). Under LoRA it is the policy itself with its
/// adapters bypassed (adapters the trainer attaches start at zero, so the base is the starting policy) and costs no
/// memory; otherwise (full fine-tuning, or a model that arrived with adapters) it is a copy of the starting weights.
/// </summary>
internal sealed class ReferencePolicy : IDisposable
{
    private readonly LlamaForCausalLM _policy;
    private readonly LlamaForCausalLM? _copy;

    private ReferencePolicy(LlamaForCausalLM policy, LlamaForCausalLM? copy)
    {
        _policy = policy;
        _copy = copy;
    }

    /// <summary>A copy of <paramref name="model"/>'s current weights (adapters included), frozen, in eval mode.</summary>
    public static ReferencePolicy CopyOf(LlamaForCausalLM model)
    {
        var copy = new LlamaForCausalLM(model.Config);
        if (model.Lora is { } lora)
            copy.AddLora(lora);
        using (no_grad())
        {
            var source = model.state_dict();
            foreach (var (name, target) in copy.state_dict())
                target.copy_(source[name]);
        }
        foreach (var p in copy.parameters())
            p.requires_grad = false;
        copy.eval();
        return new ReferencePolicy(model, copy);
    }

    /// <summary>The policy's base, reached by bypassing its adapters.</summary>
    public static ReferencePolicy AdaptersOff(LlamaForCausalLM policy) => new(policy, null);

    /// <summary>Moves the copy (if any) to <paramref name="device"/>.</summary>
    public void To(Device device) => _copy?.to(device);

    /// <summary>Per-token log-probs [B, T] of the targets under the reference, without gradients.</summary>
    public Tensor LogProbs(Tensor inputs, Tensor targets, Tensor mask, float temperature)
    {
        using var noGrad = no_grad();
        if (_copy is not null)
            return PolicyLogProbs.Compute(_copy, inputs, targets, mask, temperature).LogProbs;
        var wasTraining = _policy.training;
        _policy.eval();
        try
        {
            using var off = _policy.DisableAdapters();
            return PolicyLogProbs.Compute(_policy, inputs, targets, mask, temperature).LogProbs;
        }
        finally
        {
            _policy.train(wasTraining);
        }
    }

    public void Dispose() => _copy?.Dispose();
}
