using TorchSharp;

namespace AgentKit.Training.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Torch_initialises_and_computes()
    {
        var a = torch.ones(2, 3);
        var b = torch.ones(3, 2);
        Assert.Equal(3f, torch.mm(a, b)[0, 0].item<float>());
    }
}
