using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Tests.Checkpoints;

/// <summary>WiSE-FT mixing of two checkpoints: every weight is the weighted mean, the ends are the inputs, and mismatches are refused.</summary>
public sealed class CheckpointInterpolationTests
{
    private static string Checkpoint(int seed, LlamaConfig? config = null, string tokenizerText = "tokenizer-a")
    {
        var dir = TinyFixtures.TempDir();
        using var model = new LlamaForCausalLM(config ?? TinyFixtures.Config(), seed: seed);
        CheckpointIO.Save(model, dir);
        File.WriteAllText(Path.Combine(dir, TokenizerLoader.FileName), tokenizerText);
        return dir;
    }

    private static Dictionary<string, float[]> Weights(string dir) =>
        CheckpointIO.ReadWeights(dir).ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());

    private static CheckpointInterpolationReport Mix(string a, string b, double weight, out string output)
    {
        output = Path.Combine(TinyFixtures.TempDir(), "mixed");
        return CheckpointInterpolation.Run(new CheckpointInterpolationOptions { Base = a, Tuned = b, Weight = weight, Output = output });
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(1.0)]
    public void Every_weight_is_the_weighted_mean_of_the_two_checkpoints(double weight)
    {
        var a = Checkpoint(seed: 1);
        var b = Checkpoint(seed: 2);

        var report = Mix(a, b, weight, out var output);

        var (wa, wb, mixed) = (Weights(a), Weights(b), Weights(output));
        Assert.Equal(wa.Keys.Order(), mixed.Keys.Order());
        foreach (var (name, values) in mixed)
            for (var i = 0; i < values.Length; i++)
                Assert.Equal((1 - weight) * wa[name][i] + weight * wb[name][i], values[i], tolerance: 1e-6); // float32 arithmetic
        Assert.Equal(wa.Values.Sum(v => (long)v.Length), report.Parameters);
        var distance = Math.Sqrt(wa.Keys.Sum(k => wa[k].Zip(wb[k], (x, y) => (double)(x - y) * (x - y)).Sum()));
        Assert.Equal(distance, report.Distance, 2);
        Assert.Equal("tokenizer-a", File.ReadAllText(Path.Combine(output, TokenizerLoader.FileName)));
        Assert.True(File.Exists(Path.Combine(output, CheckpointInterpolation.RecipeFile)));
        using var loaded = CheckpointIO.Load(output); // a checkpoint the trainers and exporters read
    }

    [Fact]
    public void Different_architectures_or_tokenizers_are_refused_and_nothing_is_written()
    {
        var a = Checkpoint(seed: 1);
        var wider = Checkpoint(seed: 2, TinyFixtures.Config() with { IntermediateSize = 96 });
        var otherTokenizer = Checkpoint(seed: 2, tokenizerText: "tokenizer-b");

        var architecture = Assert.Throws<InvalidDataException>(() => Mix(a, wider, 0.5, out var output1));
        Assert.Contains("different architectures", architecture.Message);
        var tokenizer = Assert.Throws<InvalidDataException>(() => Mix(a, otherTokenizer, 0.5, out var output2));
        Assert.Contains("different tokenizers", tokenizer.Message);
    }

    [Theory]
    [InlineData(-0.1, "between 0 and 1")]
    [InlineData(1.5, "between 0 and 1")]
    [InlineData(double.NaN, "between 0 and 1")]
    public void A_weight_outside_0_to_1_is_refused(double weight, string message)
    {
        var a = Checkpoint(seed: 1);
        var error = Assert.ThrowsAny<ArgumentException>(() =>
            new CheckpointInterpolationOptions { Base = a, Tuned = a, Weight = weight, Output = Path.Combine(TinyFixtures.TempDir(), "x") }.Validate());
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_missing_checkpoint_or_a_used_output_folder_is_refused()
    {
        var a = Checkpoint(seed: 1);
        var used = TinyFixtures.TempDir();
        File.WriteAllText(Path.Combine(used, "keep.txt"), "x");

        Assert.Contains("not a checkpoint", Assert.Throws<ArgumentException>(() =>
            new CheckpointInterpolationOptions { Base = a, Tuned = used, Weight = 0.5, Output = Path.Combine(used, "new") }.Validate()).Message);
        Assert.Contains("not empty", Assert.Throws<ArgumentException>(() =>
            new CheckpointInterpolationOptions { Base = a, Tuned = a, Weight = 0.5, Output = used }.Validate()).Message);
        Assert.Equal("x", File.ReadAllText(Path.Combine(used, "keep.txt")));
    }
}
