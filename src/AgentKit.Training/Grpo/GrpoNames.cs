namespace AgentKit.Training.Grpo;

/// <summary>The names GRPO settings go by on command lines and in JSON (TRL's: <c>dapo</c>, <c>dr_grpo</c>, <c>group</c>, …).</summary>
public static class GrpoNames
{
    /// <summary>Every loss type by name.</summary>
    public static IReadOnlyDictionary<string, GrpoLossType> LossTypes { get; } = new Dictionary<string, GrpoLossType>(StringComparer.OrdinalIgnoreCase)
    {
        ["dapo"] = GrpoLossType.Dapo, ["grpo"] = GrpoLossType.Grpo, ["dr_grpo"] = GrpoLossType.DrGrpo,
    };

    /// <summary>Every reward scaling by name.</summary>
    public static IReadOnlyDictionary<string, RewardScaling> Scalings { get; } = new Dictionary<string, RewardScaling>(StringComparer.OrdinalIgnoreCase)
    {
        ["group"] = RewardScaling.Group, ["batch"] = RewardScaling.Batch, ["none"] = RewardScaling.None,
    };

    /// <summary>Parses <c>dapo</c>, <c>grpo</c> or <c>dr_grpo</c> (any case).</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static GrpoLossType ParseLossType(string text) =>
        LossTypes.TryGetValue(text.Trim(), out var type) ? type : throw new ArgumentException($"loss must be dapo, grpo or dr_grpo, got '{text}'.");

    /// <summary>Parses <c>group</c>, <c>batch</c> or <c>none</c> (any case).</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static RewardScaling ParseScaling(string text) =>
        Scalings.TryGetValue(text.Trim(), out var scaling) ? scaling : throw new ArgumentException($"scale-rewards must be group, batch or none, got '{text}'.");

    /// <summary>The name of <paramref name="type"/>.</summary>
    public static string Name(GrpoLossType type) => LossTypes.First(p => p.Value == type).Key;

    /// <summary>The name of <paramref name="scaling"/>.</summary>
    public static string Name(RewardScaling scaling) => Scalings.First(p => p.Value == scaling).Key;
}
