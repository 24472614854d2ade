using System.Diagnostics;
using AgentKit.Training.Model;
using AgentKit.Training.Sft;
using static TorchSharp.torch;

namespace AgentKit.Training.Bench;

/// <summary>Training throughput of one model size, with the matmul FLOP rate it reaches.</summary>
/// <param name="Name">Size label.</param>
/// <param name="Parameters">Parameter count.</param>
/// <param name="Context">Tokens per row.</param>
/// <param name="BatchSize">Rows per step.</param>
/// <param name="Steps">Timed steps.</param>
/// <param name="TokensPerSecond">Trained tokens per second (forward, chunked loss, backward, AdamW).</param>
/// <param name="TrainingGflops">Achieved GFLOP/s by the 6N + 12·L·T·d per-token estimate (LoRA: 4N, as frozen weights get no gradient).</param>
/// <param name="FractionOfPeak">TrainingGflops over the peak matmul rate of the same run.</param>
/// <param name="Lora">The LoRA trained (e.g. <c>r64 α128 all-linear</c>), or null for full fine-tuning.</param>
/// <param name="TrainableParameters">Parameters that received gradients.</param>
/// <param name="SecondsPerStep">Mean wall time of one timed step.</param>
public sealed record TrainBenchRow(string Name, long Parameters, int Context, int BatchSize, int Steps, double TokensPerSecond, double TrainingGflops,
    double FractionOfPeak, string? Lora = null, long TrainableParameters = 0, double SecondsPerStep = 0);

/// <summary>The benchmark's result: the peer (one large matmul) and each size.</summary>
/// <param name="PeakGflops">GFLOP/s of a float32 n×n×n matmul (the CPU's practical peak).</param>
/// <param name="MatmulSize">n of that matmul.</param>
/// <param name="Threads">torch threads.</param>
/// <param name="Rows">One row per size.</param>
public sealed record TrainBenchReport(double PeakGflops, int MatmulSize, int Threads, IReadOnlyList<TrainBenchRow> Rows);

/// <summary>
/// Measures training tokens/s for a ≈0.5M and a ≈5M parameter model at context 512 on random tokens, and the
/// fraction of the CPU's peak matrix throughput (one large matmul timed in the same run) that this reaches.
/// </summary>
public static class TrainBenchmark
{
    /// <summary>≈0.44M parameters.</summary>
    public static LlamaConfig Small { get; } = new()
    {
        VocabSize = 512, HiddenSize = 128, IntermediateSize = 352, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, MaxPositionEmbeddings = 512,
    };

    /// <summary>≈5.3M parameters.</summary>
    public static LlamaConfig Medium { get; } = new()
    {
        VocabSize = 512, HiddenSize = 256, IntermediateSize = 704, NumHiddenLayers = 7, NumAttentionHeads = 8, NumKeyValueHeads = 4, MaxPositionEmbeddings = 512,
    };

    /// <summary>
    /// Qwen2.5-0.5B's layer shapes (hidden 896, intermediate 4864, 24 layers, 14 heads, 2 KV heads, vocabulary 151,936,
    /// RoPE base 1e6, tied embeddings; ≈494M parameters), randomly initialised: for sizing a run on the real model.
    /// </summary>
    public static LlamaConfig Qwen2_0_5B { get; } = new()
    {
        ModelType = "qwen2", VocabSize = 151_936, HiddenSize = 896, IntermediateSize = 4864, NumHiddenLayers = 24, NumAttentionHeads = 14,
        NumKeyValueHeads = 2, MaxPositionEmbeddings = 32_768, RopeTheta = 1_000_000, RmsNormEps = 1e-6, TieWordEmbeddings = true,
    };

    /// <summary>The named shapes <see cref="RunShape"/> accepts (<c>agentkit bench train --shape</c>).</summary>
    public static IReadOnlyDictionary<string, LlamaConfig> Shapes { get; } = new Dictionary<string, LlamaConfig> { ["qwen2-0.5b"] = Qwen2_0_5B };

    /// <summary>
    /// Training tokens/s of one named shape (<see cref="Shapes"/>), with LoRA on <paramref name="lora"/> (null: full
    /// fine-tuning), next to the same run's peak matmul rate.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown shape name.</exception>
    public static TrainBenchReport RunShape(string shape, LoraSettings? lora, int context = 128, int batchSize = 1, int steps = 3, int matmulSize = 1536,
        IProgress<string>? progress = null)
    {
        if (!Shapes.TryGetValue(shape, out var config))
            throw new ArgumentException($"Unknown shape '{shape}'; known: {string.Join(", ", Shapes.Keys)}.", nameof(shape));
        progress?.Report($"peak: {matmulSize}^3 float32 matmul");
        var peak = PeakGflops(matmulSize);
        progress?.Report($"building {shape} ({config.ParameterCount() / 1e6:F0}M params){(lora is null ? "" : $", LoRA r{lora.Rank}")}, context {context} x batch {batchSize}");
        var row = Measure(shape, config, context, batchSize, steps, peak, lora);
        return new TrainBenchReport(peak, matmulSize, get_num_threads(), [row]);
    }

    /// <summary>Runs the benchmark.</summary>
    public static TrainBenchReport Run(int context = 512, int batchSize = 4, int steps = 5, int matmulSize = 1536, IProgress<string>? progress = null)
    {
        progress?.Report($"peak: {matmulSize}^3 float32 matmul");
        var peak = PeakGflops(matmulSize);
        var rows = new List<TrainBenchRow>();
        foreach (var (name, config) in new[] { ("0.5M", Small), ("5M", Medium) })
        {
            progress?.Report($"training {name} ({config.ParameterCount() / 1e6:F2}M params), context {context}");
            rows.Add(Measure(name, config with { MaxPositionEmbeddings = Math.Max(context, config.MaxPositionEmbeddings) }, context, batchSize, steps, peak));
        }
        return new TrainBenchReport(peak, matmulSize, get_num_threads(), rows);
    }

    /// <summary>Best-of-3 GFLOP/s of one n×n by n×n float32 matmul.</summary>
    public static double PeakGflops(int n)
    {
        using var a = randn(n, n);
        using var b = randn(n, n);
        using (matmul(a, b)) { }
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            using (matmul(a, b)) { }
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / best / 1e9;
    }

    private static TrainBenchRow Measure(string name, LlamaConfig config, int context, int batchSize, int steps, double peak, LoraSettings? lora = null)
    {
        using var model = new LlamaForCausalLM(config, seed: 1);
        if (lora is not null)
            model.AddLora(lora, seed: 1);
        model.train();
        var parameters = model.TrainableParameters();
        using var optimizer = optim.AdamW(parameters, 1e-3);
        using var generator = new Generator(7);
        void Step()
        {
            using var scope = NewDisposeScope();
            var tokens = randint(0, config.VocabSize, [batchSize, context + 1], generator: generator);
            var inputs = tokens.narrow(1, 0, context);
            var targets = tokens.narrow(1, 1, context).reshape(-1);
            optimizer.zero_grad();
            var hidden = model.Hidden(inputs).view(-1, config.HiddenSize);
            var (_, _, surrogate) = ChunkedCrossEntropy.Compute(hidden, model.OutputWeight, targets, ones(targets.shape[0]), 256, computeGradients: true);
            surrogate!.backward();
            nn.utils.clip_grad_norm_(parameters, 1.0);
            optimizer.step();
        }
        Step(); // warm-up: allocator and kernels
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++)
            Step();
        var seconds = sw.Elapsed.TotalSeconds;
        var tokensPerSecond = (double)steps * batchSize * context / seconds;
        // Matmul parameters (everything but the embedding lookup; the tied embedding counts once as the output layer).
        var matmulParams = config.ParameterCount() - (config.TieWordEmbeddings ? 0 : (long)config.VocabSize * config.HiddenSize);
        // Frozen weights (LoRA) need the input gradient but no weight gradient: 4N instead of 6N.
        var flopsPerToken = (lora is null ? 6.0 : 4.0) * matmulParams + 12.0 * config.NumHiddenLayers * context * config.HiddenSize / 2; // causal: half the attention
        var gflops = tokensPerSecond * flopsPerToken / 1e9;
        var loraName = lora is null ? null
            : $"r{lora.Rank} α{lora.Alpha:G} {(lora.TargetModules.Count == LoraSettings.AllLinear.Count ? "all-linear" : string.Join(",", lora.TargetModules))}";
        return new TrainBenchRow(name, config.ParameterCount(), context, batchSize, steps, tokensPerSecond, gflops, gflops / peak, loraName,
            parameters.Sum(p => p.numel()), seconds / steps);
    }
}
