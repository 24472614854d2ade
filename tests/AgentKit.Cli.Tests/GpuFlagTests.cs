using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary>
/// --gpu-layers and --device on a machine without a GPU (CI's CPU build): work that needs the GPU fails with one
/// line and exit 1; a flag that does not fit the model kind, or an unknown device, is a usage error (exit 2).
/// </summary>
public sealed class GpuFlagTests
{
    [Fact]
    public async Task Generate_with_gpu_layers_on_the_cpu_build_fails_with_one_line()
    {
        var (exit, stdout, stderr) = await RunAsync("generate", "--model", TinyModels.RandomLlamaPath(), "--prompt", "hi", "--max-tokens", "2", "--gpu-layers", "4");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("GpuLayerCount 4 needs a GPU", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Serve_with_gpu_layers_on_the_cpu_build_fails_with_one_line()
    {
        var (exit, _, stderr) = await RunAsync("serve", "--model", TinyModels.RandomLlamaPath(), "--port", "0", "--gpu-layers", "-1");

        Assert.Equal(1, exit);
        Assert.Contains("GpuLayerCount -1 needs a GPU", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Run_with_gpu_layers_on_the_cpu_build_fails_with_one_line()
    {
        var (exit, _, stderr) = await AgentCli.RunAsync("run", "--agent", AgentCli.ExampleAgent, "--model", TinyModels.RandomLlamaPath(),
            "--gpu-layers", "8", "What is the capital of Peru?");

        Assert.Equal(1, exit);
        Assert.Contains("GpuLayerCount 8 needs a GPU", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Generate_on_cuda_from_a_checkpoint_without_cuda_fails_with_one_line()
    {
        var (exit, _, stderr) = await RunAsync("generate", "--model", TinyCheckpoint.Create(seed: 5), "--prompt", "hi", "--device", "cuda");

        Assert.Equal(1, exit);
        Assert.Contains("device cuda: CUDA is not available to libtorch", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Train_sft_on_cuda_without_cuda_fails_with_one_line()
    {
        var checkpoint = TinyCheckpoint.Create(seed: 6);
        var data = TinyModels.TempPath("sft.jsonl");
        File.WriteAllText(data, """{"messages":[{"role":"user","content":"hello"},{"role":"assistant","content":"hello world"}]}""" + "\n");

        var (exit, _, stderr) = await RunAsync("train", "sft", "--data", data, "--base", checkpoint, "--out", TinyModels.TempPath("run"),
            "--max-steps", "1", "--seq-len", "32", "--device", "cuda");

        Assert.Equal(1, exit);
        Assert.Contains("device cuda: CUDA is not available to libtorch", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Theory]
    [InlineData("cuda", "--device applies to a TorchSharp checkpoint")] // a GGUF takes --gpu-layers
    [InlineData("tpu", "tpu")]                                          // not a device
    public async Task Misplaced_or_unknown_device_is_a_usage_error(string device, string message)
    {
        var (exit, _, stderr) = await RunAsync("generate", "--model", TinyModels.RandomLlamaPath(), "--prompt", "hi", "--device", device);

        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
    }

    [Fact]
    public async Task Gpu_layers_on_a_checkpoint_is_a_usage_error()
    {
        var (exit, _, stderr) = await RunAsync("generate", "--model", TinyCheckpoint.Create(seed: 7), "--prompt", "hi", "--gpu-layers", "2");

        Assert.Equal(2, exit);
        Assert.Contains("--gpu-layers applies to a GGUF", stderr);
    }
}
