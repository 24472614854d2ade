using System.Collections.Concurrent;
using AgentKit.Training.Model;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Model;

/// <summary>
/// The model's forward pass while another thread forces collections, as in agent rollouts that allocate a lot. A temporary
/// TorchSharp Scalar finalized during the native call that reads it makes libtorch fail ("Expected false to be true",
/// "Unknown scalar type") or compute with freed memory; <see cref="TensorOps"/> keeps every Scalar alive across its call.
/// </summary>
public sealed class ForwardUnderCollectionTests
{
    // Narrow weights, wide activations ([256, 16, 32]): element-wise ops dominate, and each runs long enough for a
    // collection to land inside it. Without TensorOps this failed within a few seconds in every measured run.
    private const int Batch = 256;
    private const int Tokens = 16;
    private const int WarmUpPasses = 10;
    private const int PassesPerThread = 200;

    [Fact]
    public void Forward_passes_on_two_threads_stay_exact_while_a_third_forces_collections()
    {
        var config = new LlamaConfig
        {
            VocabSize = 64, HiddenSize = 32, IntermediateSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 1,
            NumKeyValueHeads = 1, MaxPositionEmbeddings = Tokens,
        };
        using var model = new LlamaForCausalLM(config, seed: 1);
        model.eval();
        using var generator = new Generator(3);
        using var ids = randint(0, config.VocabSize, [Batch, Tokens], generator: generator);
        using var expected = Hidden(model, ids);
        // Until TorchSharp's methods are re-jitted optimized, their unoptimized code keeps the temporaries alive.
        for (var i = 0; i < WarmUpPasses; i++)
            Hidden(model, ids).Dispose();

        var errors = new ConcurrentQueue<string>();
        var mismatches = 0;
        var done = 0;
        var collector = new Thread(() =>
        {
            while (Volatile.Read(ref done) == 0)
            {
                GC.Collect(0);
                GC.WaitForPendingFinalizers();
            }
        });
        var workers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < PassesPerThread && errors.IsEmpty; i++)
            {
                try
                {
                    using var noGrad = no_grad();
                    using var scope = NewDisposeScope();
                    if (!model.Hidden(ids).eq(expected).all().item<bool>())
                        Interlocked.Increment(ref mismatches);
                }
                catch (Exception ex)
                {
                    errors.Enqueue(ex.Message.Split('\n')[0]);
                }
            }
        })).ToList();
        // One intra-op thread per worker: the workers, the collector and the finalizer then contend for the cores, so a
        // worker is often descheduled between handing a Scalar to libtorch and libtorch reading it.
        var threads = get_num_threads();
        set_num_threads(1);
        try
        {
            collector.Start();
            workers.ForEach(w => w.Start());
            workers.ForEach(w => w.Join());
        }
        finally
        {
            Volatile.Write(ref done, 1);
            if (collector.IsAlive)
                collector.Join();
            set_num_threads(threads);
        }

        Assert.Empty(errors);
        Assert.Equal(0, mismatches);
    }

    private static Tensor Hidden(LlamaForCausalLM model, Tensor ids)
    {
        using var noGrad = no_grad();
        return model.Hidden(ids);
    }
}
