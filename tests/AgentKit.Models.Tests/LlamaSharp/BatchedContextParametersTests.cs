using AgentKit.Models.LlamaSharp;

namespace AgentKit.Models.Tests.LlamaSharp;

public sealed class BatchedContextParametersTests
{
    private static readonly LlamaSharpOptions Cpu = new() { ModelPath = "m.gguf", Threads = 3 };

    [Fact]
    public void On_the_cpu_flash_attention_is_off_and_the_prompt_micro_batch_is_capped()
    {
        var parameters = BatchedContextParameters.For(Cpu, promptTokens: 700, candidates: 8, maxTokens: 64);

        Assert.False(parameters.FlashAttention);
        Assert.Equal(512u, parameters.BatchSize);
        Assert.Equal((uint)BatchedContextParameters.MicroBatchWithoutFlashAttention, parameters.UBatchSize);
        Assert.Equal((uint)(700 + 8 * 65 + 1), parameters.ContextSize);
        Assert.Equal(9u, parameters.SeqMax);
        Assert.True(parameters.KVUnified);
        Assert.Equal((3, 3), (parameters.Threads, parameters.BatchThreads));
    }

    [Fact]
    public void With_offloaded_layers_llama_cpp_chooses_and_the_micro_batch_is_the_batch()
    {
        var parameters = BatchedContextParameters.For(Cpu with { GpuLayerCount = -1 }, 700, 8, 64);

        Assert.Null(parameters.FlashAttention);
        Assert.Equal(512u, parameters.UBatchSize);
        Assert.Equal(-1, parameters.GpuLayerCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void An_explicit_setting_wins(bool flashAttention)
    {
        var options = Cpu with { FlashAttention = flashAttention, BatchSize = 1024 };
        var parameters = BatchedContextParameters.For(options, 700, 8, 64);

        Assert.Equal(flashAttention, parameters.FlashAttention);
        Assert.Equal(flashAttention ? 1024u : 256u, parameters.UBatchSize);
        Assert.Equal(flashAttention, BatchedContextParameters.FlashAttention(options with { GpuLayerCount = 4 }));
    }

    [Fact]
    public void A_token_round_of_every_candidate_fits_one_decode_and_one_micro_batch()
    {
        var parameters = BatchedContextParameters.For(Cpu with { BatchSize = 16 }, 10, candidates: 300, maxTokens: 20);

        Assert.Equal(300u, parameters.BatchSize);
        Assert.Equal(300u, parameters.UBatchSize);
    }
}
