namespace AgentKit.Distillation;

/// <summary>What every stage needs: the recipe, the work folder, where to report, the clock.</summary>
/// <param name="Recipe">The loaded recipe.</param>
/// <param name="WorkFolder">Absolute path of the work folder.</param>
/// <param name="Threads">CPU threads for training and export (null: all cores).</param>
/// <param name="Progress">Receives stage events and drives progress bars.</param>
/// <param name="Time">Clock for stage timings.</param>
internal sealed record DistillContext(LoadedRecipe Recipe, string WorkFolder, int? Threads, IDistillProgress Progress, TimeProvider Time)
{
    /// <summary>Absolute path of <paramref name="name"/> inside the work folder.</summary>
    public string Work(string name) => Path.Combine(WorkFolder, name);
}

/// <summary>The fixed names of the stage outputs inside the work folder.</summary>
public static class WorkFiles
{
    /// <summary>Teacher trajectories (JSONL).</summary>
    public const string Teacher = "teacher-train.jsonl";

    /// <summary>The invented-atlas agent folder (optional stage <c>synthetic</c>).</summary>
    public const string SyntheticAgent = "synthetic";

    /// <summary>Teacher trajectories over the invented atlas (JSONL).</summary>
    public const string SyntheticTeacher = "teacher-synthetic.jsonl";

    /// <summary>SFT chat examples (JSONL).</summary>
    public const string SftData = "sft.jsonl";

    /// <summary>The trained tokenizer.</summary>
    public const string Tokenizer = "tokenizer.json";

    /// <summary>The student's shape, as given to the trainer.</summary>
    public const string ModelConfig = "model-config.json";

    /// <summary>Trainer output: checkpoints, metrics.csv, loss.png.</summary>
    public const string Sft = "sft";

    /// <summary>The exported model.</summary>
    public const string Gguf = "model.gguf";

    /// <summary>The Hugging Face export (optional stage <c>hf</c>).</summary>
    public const string Hf = "hf";

    /// <summary>The benchmark results (optional stage <c>eval</c>).</summary>
    public const string Eval = "eval.json";

    /// <summary>The final report.</summary>
    public const string Report = "distill-report.json";
}
