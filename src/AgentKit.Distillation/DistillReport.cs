using System.Text.Json.Serialization;

namespace AgentKit.Distillation;

/// <summary>How one stage went in this invocation.</summary>
/// <param name="Stage">Stage name.</param>
/// <param name="Status"><c>ran</c>, <c>resumed</c> or <c>skipped</c>.</param>
/// <param name="Seconds">Wall time in seconds, or the string <c>"skipped"</c>.</param>
public sealed record StageTiming(string Stage, string Status, object Seconds);

/// <summary><c>distill-report.json</c>: what was made, from what, how long each stage took, and the figures of every stage.</summary>
/// <param name="Recipe">The recipe file.</param>
/// <param name="Work">The work folder.</param>
/// <param name="Model">Where the GGUF was copied.</param>
/// <param name="Seconds">Wall time of this invocation.</param>
/// <param name="Stages">Per stage: ran, resumed or skipped, and seconds.</param>
/// <param name="Teacher">Teacher runs and correct runs.</param>
/// <param name="SftData">SFT examples.</param>
/// <param name="Tokenizer">Tokenizer size (null for a student from a checkpoint, which keeps its own).</param>
/// <param name="Sft">Training figures.</param>
/// <param name="Gguf">The exported file.</param>
/// <param name="Synthetic">The invented atlas (null when the recipe has none).</param>
/// <param name="SyntheticTeacher">Teacher runs and correct runs over the invented atlas (null when the recipe has none).</param>
public sealed record DistillReport(string Recipe, string Work, string Model, double Seconds, IReadOnlyList<StageTiming> Stages,
    TeacherFigures Teacher, SftDataFigures SftData,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TokenizerFigures? Tokenizer, SftFigures Sft, GgufFigures Gguf,
    SyntheticFigures? Synthetic = null, TeacherFigures? SyntheticTeacher = null)
{
    /// <summary>The Hugging Face export (null when the recipe has no <c>export.hf</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HfFigures? Hf { get; init; }

    /// <summary>Where the Hugging Face export was copied (null without <c>export.hf</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? HfModel { get; init; }

    /// <summary>The benchmark evaluation (null when the recipe has no <c>eval</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public EvalFigures? Eval { get; init; }
}
