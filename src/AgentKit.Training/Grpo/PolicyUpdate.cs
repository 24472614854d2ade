using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AgentKit.Training.Grpo;

/// <summary>What the update of one rollout batch measured.</summary>
internal sealed record UpdateFigures(double Loss, double GradNorm, double LearningRate, PolicyLossStats Stats, double Entropy, double EntropyTokens, long TokensProcessed);

/// <summary>
/// The optimisation of one rollout batch: <see cref="GrpoOptions.NumIterations"/> passes, each split into
/// <see cref="GrpoOptions.GradientAccumulationSteps"/> micro-batches (or length-sorted ones within
/// <see cref="GrpoOptions.MicroBatchTokens"/>) whose gradients add up to the whole batch's, then
/// clipping and one AdamW step. The ratio's denominator is the sampling policy's log-probs, computed once before the
/// first pass when there are several (TRL's old log-probs), or the current ones detached when there is one pass.
/// </summary>
internal sealed class PolicyUpdate(GrpoOptions options, LlamaForCausalLM model, ReferencePolicy? reference, OptimizerHelper optimizer,
    IReadOnlyList<Parameter> parameters)
{
    public UpdateFigures Run(IReadOnlyList<Rollout> rollouts, IReadOnlyList<double> advantages, int step, ref int optimizerSteps, Device device)
    {
        var micro = MicroBatches([.. rollouts.Select(r => r.TokenIds.Count)], options.GradientAccumulationSteps, options.MicroBatchTokens);
        var batches = new List<(RolloutBatch Batch, Tensor Advantages, Tensor? Old, Tensor? Reference)>();
        try
        {
            foreach (var rows in micro)
            {
                var batch = RolloutBatch.Build([.. rows.Select(i => rollouts[i])], options.MaskTruncatedCompletions, device: device);
                var adv = tensor(rows.Select(i => (float)advantages[i]).ToArray(), device: device);
                var old = options.NumIterations > 1 ? SamplingPolicyLogProbs(batch) : null;
                var refLogProbs = options.Beta > 0 ? reference!.LogProbs(batch.Inputs, batch.Targets, batch.Mask, options.Temperature) : null;
                batches.Add((batch, adv, old, refLogProbs));
            }
            var normalizer = new LossNormalizer(options.LossType, rollouts.Count, batches.Sum(b => (double)b.Batch.Mask.sum().item<float>()), options.MaxCompletionLength);
            double lossSum = 0, gradNorm = 0, lr = 0, entropy = 0, entropyTokens = 0;
            var stats = new PolicyLossStats(0, 0, 0, 0);
            long processed = 0;
            model.train();
            for (var iteration = 0; iteration < options.NumIterations; iteration++)
            {
                // Dropout draws from torch's global generator: seeded by position, a resumed run draws the same masks.
                random.manual_seed(Seeds.Mix(options.Seed, step, iteration, 0xD50));
                lr = options.LearningRateAt(optimizerSteps);
                foreach (var group in optimizer.ParamGroups)
                    group.LearningRate = lr;
                optimizer.zero_grad();
                double iterationLoss = 0;
                foreach (var (batch, adv, old, refLogProbs) in batches)
                {
                    using var scope = NewDisposeScope();
                    var (logProbs, batchEntropy) = PolicyLogProbs.Compute(model, batch.Inputs, batch.Targets, batch.Mask, options.Temperature);
                    var (loss, batchStats) = GrpoLoss.Compute(logProbs, old ?? logProbs.detach(), refLogProbs, adv, batch.Mask,
                        options.Epsilon, options.UpperEpsilon, options.Beta, normalizer);
                    loss.backward();
                    iterationLoss += loss.item<float>();
                    stats = new PolicyLossStats(stats.Tokens + batchStats.Tokens, stats.LowClipped + batchStats.LowClipped,
                        stats.HighClipped + batchStats.HighClipped, stats.KlSum + batchStats.KlSum);
                    if (iteration == 0)
                    {
                        entropy += batchEntropy;
                        entropyTokens += batchStats.Tokens;
                    }
                    processed += batch.TokenCount;
                }
                gradNorm = options.MaxGradNorm > 0 ? nn.utils.clip_grad_norm_(parameters, options.MaxGradNorm) : GlobalNorm(parameters);
                optimizer.step();
                optimizerSteps++;
                lossSum += iterationLoss;
            }
            return new UpdateFigures(lossSum / options.NumIterations, gradNorm, lr, stats, entropy, entropyTokens, processed);
        }
        finally
        {
            foreach (var (batch, adv, old, refLogProbs) in batches)
            {
                batch.Dispose();
                adv.Dispose();
                old?.Dispose();
                refLogProbs?.Dispose();
            }
        }
    }

    /// <summary>Log-probs under the weights that sampled the batch, in eval mode as sampling ran.</summary>
    private Tensor SamplingPolicyLogProbs(RolloutBatch batch)
    {
        using var noGrad = no_grad();
        model.eval();
        try
        {
            return PolicyLogProbs.Compute(model, batch.Inputs, batch.Targets, batch.Mask, options.Temperature).LogProbs;
        }
        finally
        {
            model.train();
        }
    }

    /// <summary>
    /// The rollout indices of each micro-batch: <paramref name="parts"/> contiguous chunks when
    /// <paramref name="tokenBudget"/> is 0, otherwise the rollouts longest first, a new micro-batch started whenever one
    /// more row would take the padded size (rows × the first, longest row) past the budget.
    /// </summary>
    internal static IReadOnlyList<int[]> MicroBatches(IReadOnlyList<int> lengths, int parts, int tokenBudget)
    {
        if (tokenBudget <= 0)
            return [.. Split(lengths.Count, parts).Select(chunk => Enumerable.Range(chunk.Start, chunk.Count).ToArray())];
        var packs = new List<int[]>();
        var current = new List<int>();
        long width = 0;
        foreach (var index in Enumerable.Range(0, lengths.Count).OrderByDescending(i => lengths[i]).ThenBy(i => i))
        {
            if (current.Count > 0 && width * (current.Count + 1) > tokenBudget)
            {
                packs.Add([.. current]);
                current.Clear();
            }
            if (current.Count == 0)
                width = lengths[index];
            current.Add(index);
        }
        if (current.Count > 0)
            packs.Add([.. current]);
        return packs;
    }

    /// <summary>Contiguous (start, count) chunks of <paramref name="total"/> items in at most <paramref name="parts"/> parts, none empty.</summary>
    internal static IReadOnlyList<(int Start, int Count)> Split(int total, int parts)
    {
        var chunks = new List<(int, int)>();
        for (var i = 0; i < parts; i++)
        {
            var start = (int)((long)total * i / parts);
            var end = (int)((long)total * (i + 1) / parts);
            if (end > start)
                chunks.Add((start, end - start));
        }
        return chunks;
    }

    private static double GlobalNorm(IEnumerable<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        return Math.Sqrt(parameters.Where(p => p.grad is not null).Sum(p => TensorOps.Pow(p.grad!, 2).sum().item<float>()));
    }
}
