using AgentKit.Training.Model;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests;

public sealed class ModelTests
{
    [Fact]
    public void Same_seed_gives_same_weights_regardless_of_the_global_generator()
    {
        using var a = new LlamaForCausalLM(TinyFixtures.Config(), seed: 3);
        random.manual_seed(12345);
        using var _ = randn(100);
        using var b = new LlamaForCausalLM(TinyFixtures.Config(), seed: 3);
        using var c = new LlamaForCausalLM(TinyFixtures.Config(), seed: 4);
        var (sa, sb, sc) = (a.state_dict(), b.state_dict(), c.state_dict());
        Assert.All(sa, p => Assert.True(p.Value.eq(sb[p.Key]).all().item<bool>(), p.Key));
        Assert.False(sa["model.embed_tokens.weight"].eq(sc["model.embed_tokens.weight"]).all().item<bool>());
    }

    [Fact]
    public void Config_is_validated_with_explanations()
    {
        Assert.Contains("multiple of num_key_value_heads", Assert.Throws<ArgumentException>(() => TinyFixtures.Config() with { NumKeyValueHeads = 3 } is var c ? c.Validate() : null).Message);
        Assert.Contains("model_type", Assert.Throws<ArgumentException>(() => (TinyFixtures.Config() with { ModelType = "gpt2" }).Validate()).Message);
        var config = TinyFixtures.Config();
        using var model = new LlamaForCausalLM(config, seed: 1);
        Assert.Equal(config.ParameterCount(), model.parameters().Sum(p => p.numel()));
    }
}
