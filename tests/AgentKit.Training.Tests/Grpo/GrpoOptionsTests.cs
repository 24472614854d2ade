using AgentKit.Training.Grpo;

namespace AgentKit.Training.Tests.Grpo;

public sealed class GrpoOptionsTests
{
    private static GrpoOptions Valid => new() { OutputDirectory = "out", MaxSteps = 10 };

    [Fact]
    public void Defaults_follow_trl_and_validate()
    {
        var options = Valid.Validate();
        Assert.Equal(8, options.GroupSize);
        Assert.Equal(0, options.Beta);
        Assert.Equal(0.2, options.Epsilon);
        Assert.Equal(0.2, options.UpperEpsilon);
        Assert.Equal(GrpoLossType.Dapo, options.LossType);
        Assert.Equal(RewardScaling.Group, options.ScaleRewards);
        Assert.Equal(1.0f, options.Temperature);
        Assert.Equal(0.28, (options with { EpsilonHigh = 0.28 }).UpperEpsilon);
    }

    [Theory]
    [InlineData("GroupSize", "GroupSize must be >= 2")]
    [InlineData("Temperature", "Temperature must be > 0")]
    [InlineData("Epsilon", "Epsilon must be in (0, 1)")]
    [InlineData("Beta", "Beta must be >= 0")]
    [InlineData("NumIterations", "NumIterations must be >= 1")]
    [InlineData("Accumulation", "exceeds the completions per step")]
    [InlineData("MicroBatchTokens", "MicroBatchTokens must be >= 0")]
    [InlineData("BothMicroBatchings", "both choose the micro-batches")]
    [InlineData("Weights", "RewardWeights must be finite")]
    [InlineData("Keep", "KeepCheckpoints must be >= 0")]
    [InlineData("KeepWithoutSaves", "KeepCheckpoints needs SaveEvery above 0")]
    public void Bad_settings_are_refused_with_a_message_naming_them(string setting, string message)
    {
        var options = setting switch
        {
            "GroupSize" => Valid with { GroupSize = 1 },
            "Temperature" => Valid with { Temperature = 0 },
            "Epsilon" => Valid with { Epsilon = 1.5 },
            "Beta" => Valid with { Beta = -0.1 },
            "NumIterations" => Valid with { NumIterations = 0 },
            "Accumulation" => Valid with { GroupSize = 2, PromptsPerStep = 1, GradientAccumulationSteps = 3 },
            "MicroBatchTokens" => Valid with { MicroBatchTokens = -1 },
            "BothMicroBatchings" => Valid with { MicroBatchTokens = 512, GradientAccumulationSteps = 2 },
            "Weights" => Valid with { RewardWeights = [1, double.NaN] },
            "Keep" => Valid with { SaveEvery = 2, KeepCheckpoints = -1 },
            "KeepWithoutSaves" => Valid with { KeepCheckpoints = 3 },
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        };
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => options.Validate()).Message);
    }

    [Fact]
    public void Warm_up_rises_linearly_then_holds()
    {
        var options = Valid with { LearningRate = 1e-3, WarmupSteps = 3 };
        Assert.Equal([0.25e-3, 0.5e-3, 0.75e-3, 1e-3, 1e-3], Enumerable.Range(0, 5).Select(options.LearningRateAt).ToArray());
    }
}

public sealed class GrpoNamesTests
{
    [Fact]
    public void Names_parse_both_ways_and_unknown_ones_are_refused_with_the_choices()
    {
        foreach (var type in Enum.GetValues<GrpoLossType>())
            Assert.Equal(type, GrpoNames.ParseLossType(GrpoNames.Name(type)));
        foreach (var scaling in Enum.GetValues<RewardScaling>())
            Assert.Equal(scaling, GrpoNames.ParseScaling(GrpoNames.Name(scaling)));
        Assert.Equal(GrpoLossType.DrGrpo, GrpoNames.ParseLossType("DR_GRPO"));
        Assert.Contains("dapo, grpo or dr_grpo", Assert.Throws<ArgumentException>(() => GrpoNames.ParseLossType("bnpo")).Message);
        Assert.Contains("group, batch or none", Assert.Throws<ArgumentException>(() => GrpoNames.ParseScaling("std")).Message);
        Assert.Contains("\"dr_grpo\"", System.Text.Json.JsonSerializer.Serialize(new GrpoOptions { OutputDirectory = "o", MaxSteps = 1, LossType = GrpoLossType.DrGrpo }));
    }
}
