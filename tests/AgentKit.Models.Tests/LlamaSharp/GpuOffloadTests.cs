using AgentKit.Models.LlamaSharp;
using AgentKit.TestUtils;
using LLama.Native;

namespace AgentKit.Models.Tests.LlamaSharp;

/// <summary>
/// GpuLayerCount where llama.cpp cannot offload (the CPU backend CI restores): refused with one line before the model
/// loads, instead of llama.cpp silently keeping every layer on the CPU.
/// </summary>
public sealed class GpuOffloadTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void Offload_without_a_gpu_backend_is_refused(int layers)
    {
        var options = new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), Threads = 1, GpuLayerCount = layers };
        using (new LlamaSharpGenerator(options with { GpuLayerCount = 0 })) { } // loads the native library for the check below
        if (NativeApi.llama_supports_gpu_offload()) return; // a GPU build: offload is honoured, nothing to refuse

        var ex = Assert.Throws<ModelLoadException>(() => new LlamaSharpGenerator(options));

        Assert.Equal(ModelLoadFailure.GpuUnavailable, ex.Failure);
        Assert.StartsWith($"GpuLayerCount {layers} needs a GPU", ex.Message);
        Assert.Contains("-p:AgentKitLlamaBackend=Cuda12", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void No_offload_loads_on_the_cpu_backend()
    {
        using var generator = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), Threads = 1 });
        Assert.Equal(0, new LlamaSharpOptions { ModelPath = "m.gguf" }.GpuLayerCount);
        Assert.NotNull(generator.Header);
    }
}
