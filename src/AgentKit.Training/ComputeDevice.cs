using static TorchSharp.torch;

namespace AgentKit.Training;

/// <summary>Where TorchSharp trains and generates.</summary>
public enum ComputeDevice
{
    /// <summary>The CPU (libtorch-cpu-linux-x64, the default build).</summary>
    Cpu,

    /// <summary>The first CUDA GPU; needs the CUDA build (<c>-p:AgentKitTorchBackend=Cuda</c>) and an NVIDIA GPU.</summary>
    Cuda,
}

/// <summary>Turns a <see cref="ComputeDevice"/> into a torch device, refusing CUDA where libtorch cannot use it.</summary>
public static class ComputeDevices
{
    /// <summary>The torch device for <paramref name="device"/>.</summary>
    /// <exception cref="InvalidOperationException">CUDA was asked for but libtorch has no CUDA device to use.</exception>
    public static Device Resolve(ComputeDevice device) => device switch
    {
        ComputeDevice.Cpu => CPU,
        // Checked before any tensor moves: torch would otherwise fail deep inside the first .to(cuda).
        ComputeDevice.Cuda when cuda.is_available() => CUDA,
        ComputeDevice.Cuda => throw new InvalidOperationException(
            "device cuda: CUDA is not available to libtorch (a CPU build, or no NVIDIA GPU/driver): build with " +
            "-p:AgentKitTorchBackend=Cuda on a machine with an NVIDIA GPU, or use device cpu."),
        _ => throw new ArgumentOutOfRangeException(nameof(device), device, "Unknown compute device."),
    };

    /// <summary>Parses <c>cpu</c> or <c>cuda</c> (any case).</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static ComputeDevice Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "cpu" => ComputeDevice.Cpu,
        "cuda" => ComputeDevice.Cuda,
        _ => throw new ArgumentException($"device must be cpu or cuda, got '{text}'."),
    };
}
