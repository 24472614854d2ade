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
/// <param name="TrainingGflops">Achieved GFLOP/s by the 6N + 12·L·T·d per-token estimate.</param>
/// <param name="FractionOfPeak">TrainingGflops over the peak matmul rate of the same run.</param>
public sealed record TrainBenchRow(string Name, long Parameters, int Context, int BatchSize, int Steps, double TokensPerSecond, double TrainingGflops, double FractionOfPeak);

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

    private static TrainBenchRow Measure(string name, LlamaConfig config, int context, int batchSize, int steps, double peak)
    {
        using var model = new LlamaForCausalLM(config, seed: 1);
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
        var flopsPerToken = 6.0 * matmulParams + 12.0 * config.NumHiddenLayers * context * config.HiddenSize / 2; // causal: half the attention
        var gflops = tokensPerSecond * flopsPerToken / 1e9;
        return new TrainBenchRow(name, config.ParameterCount(), context, batchSize, steps, tokensPerSecond, gflops, gflops / peak);
    }
}
