using AgentKit.Training.Checkpoints;
using AgentKit.Training.Generation;
using AgentKit.Training.Model;
using AgentKit.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Devices;

/// <summary>
/// --device cuda where libtorch has no CUDA device (the CPU build CI runs): training and generation refuse at once,
/// with one line, before a weight moves or an output folder appears. With CUDA present the device resolves instead.
/// </summary>
public sealed class ComputeDeviceTests
{
    private const string Refusal = "device cuda: CUDA is not available to libtorch";

    [Fact]
    public void Cuda_resolves_only_where_libtorch_has_it()
    {
        if (cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, ComputeDevices.Resolve(ComputeDevice.Cuda).type);
            return;
        }
        var ex = Assert.Throws<InvalidOperationException>(() => ComputeDevices.Resolve(ComputeDevice.Cuda));
        Assert.StartsWith(Refusal, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Contains("-p:AgentKitTorchBackend=Cuda", ex.Message);
    }

    [Fact]
    public void Cpu_is_the_cpu()
    {
        Assert.Equal(DeviceType.CPU, ComputeDevices.Resolve(ComputeDevice.Cpu).type);
        Assert.Equal(ComputeDevice.Cpu, new SftOptions { DataPath = "d", OutputDirectory = "o" }.Device);
    }

    [Theory]
    [InlineData("cpu", ComputeDevice.Cpu)]
    [InlineData("CUDA", ComputeDevice.Cuda)]
    public void Parses_device_names(string text, ComputeDevice expected) => Assert.Equal(expected, ComputeDevices.Parse(text));

    [Fact]
    public void Other_device_names_are_refused() =>
        Assert.Equal("device must be cpu or cuda, got 'mps'.", Assert.Throws<ArgumentException>(() => ComputeDevices.Parse("mps")).Message);

    [Fact]
    public void Training_on_cuda_without_it_stops_before_writing_anything()
    {
        if (cuda.is_available()) return; // a CUDA build on a GPU cannot refuse; CI's CPU build always can
        var dir = TinyFixtures.TempDir();
        var data = Path.Combine(dir, "sft.jsonl");
        File.WriteAllText(data, """{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}""" + "\n");
        var output = Path.Combine(dir, "out");
        using var model = new LlamaForCausalLM(TinyFixtures.Config(), 3);
        var options = new SftOptions { DataPath = data, OutputDirectory = output, SequenceLength = 32, MaxSteps = 1, Device = ComputeDevice.Cuda };

        var ex = Assert.Throws<InvalidOperationException>(() => new SftTrainer(options, TinyFixtures.Tokenizer).Train(model));

        Assert.StartsWith(Refusal, ex.Message);
        Assert.False(Directory.Exists(output));
        Assert.Equal(DeviceType.CPU, model.OutputWeight.device.type);
    }

    [Fact]
    public void Generating_on_cuda_without_it_refuses_before_loading()
    {
        if (cuda.is_available()) return; // a CUDA build on a GPU cannot refuse; CI's CPU build always can
        var dir = TinyFixtures.TempDir();
        using (var model = new LlamaForCausalLM(TinyFixtures.Config(), 3))
            CheckpointIO.Save(model, dir);
        TinyFixtures.Tokenizer.Save(Path.Combine(dir, "tokenizer.json"));

        var ex = Assert.Throws<InvalidOperationException>(() => TorchSharpGenerator.Open(dir, ComputeDevice.Cuda));

        Assert.StartsWith(Refusal, ex.Message);
        using var onCpu = TorchSharpGenerator.Open(dir, ComputeDevice.Cpu);
        Assert.NotNull(onCpu.Model);
    }
}
