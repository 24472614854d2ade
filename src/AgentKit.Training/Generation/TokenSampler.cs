using AgentKit.Training.Model;
using static TorchSharp.torch;

namespace AgentKit.Training.Generation;

/// <summary>
/// Batched sampling with a KV cache: the prompt is evaluated once, its cache copied to every candidate, and
/// each step runs one token per candidate. Temperature, top-p and a seeded generator make it reproducible.
/// </summary>
public static class TokenSampler
{
    /// <summary>
    /// Generates <paramref name="count"/> continuations of <paramref name="prompt"/>. Each stops at a stop token
    /// (excluded), when <paramref name="shouldStop"/> says so (given the candidate index and its tokens), or at
    /// <see cref="SamplingOptions.MaxNewTokens"/>.
    /// </summary>
    public static IReadOnlyList<int[]> Generate(LlamaForCausalLM model, IReadOnlyList<int> prompt, SamplingOptions options, int count,
        Func<int, IReadOnlyList<int>, bool>? shouldStop = null, CancellationToken cancellationToken = default) =>
        [.. GenerateScored(model, prompt, options, count, shouldStop, cancellationToken).Select(s => s.Tokens)];

    /// <summary>
    /// As <see cref="Generate"/>, and also returns each sampled token's log-probability under the temperature-scaled
    /// distribution and the stop token that ended a sequence, as reinforcement learning needs them.
    /// </summary>
    public static IReadOnlyList<SampledSequence> GenerateScored(LlamaForCausalLM model, IReadOnlyList<int> prompt, SamplingOptions options, int count,
        Func<int, IReadOnlyList<int>, bool>? shouldStop = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        options.Validate();
        if (prompt.Count == 0)
            throw new ArgumentException("The prompt must contain at least one token.", nameof(prompt));
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), "count must be >= 1.");
        if (prompt.Count + options.MaxNewTokens > model.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"Prompt ({prompt.Count}) plus {options.MaxNewTokens} new tokens exceeds the model's context of {model.Config.MaxPositionEmbeddings}.");

        var wasTraining = model.training;
        model.eval();
        // Tokens go in on the model's device; sampling (a few rows of logits) stays on the CPU, where the seeded
        // generator lives, so a seed gives the same tokens on either device.
        var device = model.OutputWeight.device;
        using var generator = new Generator(options.Seed is { } seed ? (ulong)seed : (ulong)Random.Shared.NextInt64());
        using var cache = model.NewCache();
        using var noGrad = no_grad();
        var outputs = Enumerable.Range(0, count).Select(_ => new List<int>()).ToArray();
        var logProbs = Enumerable.Range(0, count).Select(_ => new List<float>()).ToArray();
        var stopTokens = new int?[count];
        var stopLogProbs = new float[count];
        var finished = new bool[count];
        try
        {
            Tensor last;
            using (var scope = NewDisposeScope())
            {
                var input = tensor(prompt.Select(t => (long)t).ToArray(), device: device).unsqueeze(0);
                var hidden = model.Hidden(input, cache: cache);
                last = model.ProjectToVocabulary(hidden[.., -1]).expand(count, -1).contiguous().MoveToOuterDisposeScope();
            }
            if (count > 1)
                cache.ExpandBatch(count);
            for (var step = 0; step < options.MaxNewTokens && !finished.All(f => f); step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long[] next;
                float[] nextLogProbs;
                using (var scope = NewDisposeScope())
                {
                    var logits = last.cpu();
                    var sampled = Sample(logits, options.Temperature, options.TopP, generator);
                    next = sampled.data<long>().ToArray();
                    nextLogProbs = LogProbabilities(logits, sampled, options.Temperature).data<float>().ToArray();
                    last.Dispose();
                    for (var i = 0; i < count; i++)
                    {
                        if (finished[i])
                            continue;
                        if (options.StopTokenIds.Contains((int)next[i]))
                        {
                            finished[i] = true;
                            stopTokens[i] = (int)next[i];
                            stopLogProbs[i] = nextLogProbs[i];
                            continue;
                        }
                        outputs[i].Add((int)next[i]);
                        logProbs[i].Add(nextLogProbs[i]);
                        if (shouldStop?.Invoke(i, outputs[i]) == true)
                            finished[i] = true;
                    }
                    if (finished.All(f => f) || step == options.MaxNewTokens - 1)
                    {
                        last = empty(0);
                        break;
                    }
                    var input = tensor(next, device: device).unsqueeze(1);
                    var hidden = model.Hidden(input, cache: cache);
                    last = model.ProjectToVocabulary(hidden[.., -1]).MoveToOuterDisposeScope();
                }
            }
            last.Dispose();
        }
        finally
        {
            model.train(wasTraining);
        }
        return [.. outputs.Select((o, i) => new SampledSequence(o.ToArray(), logProbs[i].ToArray(), stopTokens[i], stopLogProbs[i]))];
    }

    /// <summary>
    /// Log-probability of each row's <paramref name="sampled"/> id under <c>softmax(logits / temperature)</c> (the
    /// whole distribution, before top-p); 0 for greedy decoding, which has no distribution.
    /// </summary>
    public static Tensor LogProbabilities(Tensor logits, Tensor sampled, float temperature)
    {
        using var scope = NewDisposeScope();
        if (temperature == 0)
            return zeros(sampled.shape[0], dtype: ScalarType.Float32).MoveToOuterDisposeScope();
        var logSoftmax = TensorOps.Div(logits.to_type(ScalarType.Float32), temperature).log_softmax(-1);
        return logSoftmax.gather(-1, sampled.unsqueeze(-1)).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Samples one id per row of <paramref name="logits"/> [B, V]; temperature 0 takes the argmax.</summary>
    public static Tensor Sample(Tensor logits, float temperature, float topP, Generator generator)
    {
        using var scope = NewDisposeScope();
        if (temperature == 0)
            return logits.argmax(-1).MoveToOuterDisposeScope();
        var probs = TensorOps.Div(logits.to_type(ScalarType.Float32), temperature).softmax(-1);
        if (topP < 1)
        {
            var (sorted, indices) = probs.sort(-1, descending: true);
            // Drop a token when the tokens ranked above it already cover top-p of the mass (keeps at least one).
            var before = sorted.cumsum(-1) - sorted;
            sorted = TensorOps.MaskedFill(sorted, TensorOps.Ge(before, topP), 0);
            probs = zeros_like(probs).scatter(-1, indices, sorted);
        }
        return multinomial(probs, 1, replacement: false, generator: generator).squeeze(-1).MoveToOuterDisposeScope();
    }
}
