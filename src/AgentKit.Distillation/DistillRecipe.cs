using AgentKit.Training.Model;

namespace AgentKit.Distillation;

/// <summary>
/// A distillation recipe (<c>distill.json</c>): where the teacher trajectories come from, how they become
/// SFT data, the tokenizer, the student's shape, its training and its export. Paths are relative to the
/// recipe's folder. Validated by <see cref="Validate"/>.
/// </summary>
public sealed record DistillRecipe
{
    /// <summary>The agent folder, relative to the recipe (default: the recipe's own folder).</summary>
    public string? Agent { get; init; }

    /// <summary>Where the teacher trajectories come from.</summary>
    public required TeacherRecipe Teacher { get; init; }

    /// <summary>
    /// The training-only invented atlas whose teacher runs are appended to the real ones (optional): it teaches the
    /// student to act on a question's wording rather than on the training countries' names.
    /// </summary>
    public SyntheticRecipe? Synthetic { get; init; }

    /// <summary>Train only on runs the scorer marked correct (default true).</summary>
    public bool OnlyCorrect { get; init; } = true;

    /// <summary>The byte-level BPE tokenizer trained on the SFT data (a student from scratch only; absent with <see cref="Student"/>).</summary>
    public TokenizerRecipe? Tokenizer { get; init; }

    /// <summary>The shape of a student trained from scratch (a Hugging Face <c>config.json</c> object; absent with <see cref="Student"/>).</summary>
    public LlamaConfig? Model { get; init; }

    /// <summary>
    /// A student fine-tuned from a Hugging Face checkpoint instead of trained from scratch: its tokenizer and shape are
    /// the checkpoint's, so the recipe then has no <see cref="Tokenizer"/> and no <see cref="Model"/>.
    /// </summary>
    public StudentRecipe? Student { get; init; }

    /// <summary>Supervised fine-tuning settings.</summary>
    public required SftRecipe Sft { get; init; }

    /// <summary>The GGUF export (and optionally a Hugging Face one).</summary>
    public required ExportRecipe Export { get; init; }

    /// <summary>The benchmark evaluation of the exported student (optional).</summary>
    public EvalRecipe? Eval { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public DistillRecipe Validate()
    {
        if (Agent is not null && string.IsNullOrWhiteSpace(Agent))
            throw new ArgumentException("\"agent\" must be a folder path when set.");
        // "key": null satisfies `required` in System.Text.Json: name the missing section instead of failing on it later.
        Section(Teacher, "teacher");
        Section(Sft, "sft");
        Section(Export, "export");
        Teacher.Validate();
        Synthetic?.Validate();
        if (Student is not null)
        {
            if (Tokenizer is not null || Model is not null)
                throw new ArgumentException("\"student\" starts from a checkpoint, whose tokenizer and config.json are used: remove \"tokenizer\" and \"model\", or remove \"student\" to train from scratch.");
            Student.Validate();
        }
        else if (Tokenizer is null || Model is null)
        {
            throw new ArgumentException(
                $"missing {(Tokenizer is null && Model is null ? "\"tokenizer\" and \"model\"" : Tokenizer is null ? "\"tokenizer\"" : "\"model\"")}: a student trained from scratch needs both; " +
                "or give \"student\": {\"init\": CHECKPOINT} to fine-tune a Hugging Face checkpoint.");
        }
        Tokenizer?.Validate();
        try
        {
            Model?.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"model: {ex.Message}", ex);
        }
        Sft.Validate();
        Export.Validate();
        Eval?.Validate();
        if (Tokenizer is not null && Model is not null && Tokenizer.VocabSize > Model.VocabSize)
            throw new ArgumentException($"tokenizer.vocab_size {Tokenizer.VocabSize} exceeds model.vocab_size {Model.VocabSize}: every token needs an embedding row.");
        if (Model is not null && Sft.SeqLen > Model.MaxPositionEmbeddings)
            throw new ArgumentException($"sft.seq_len {Sft.SeqLen} exceeds model.max_position_embeddings {Model.MaxPositionEmbeddings}.");
        return this;
    }

    private static void Section(object? value, string name)
    {
        if (value is null)
            throw new ArgumentException($"\"{name}\" must be an object, not null.");
    }
}

/// <summary>
/// The invented atlas: <c>{"countries": 400, "per_family": 600, "seed": 11}</c>, written into the work folder as an
/// agent folder (<see cref="AgentKit.Atlas.Data.SyntheticAgentWriter"/>) whose questions the atlas teacher answers
/// for real. Facts are drawn from the country files in <see cref="Source"/>.
/// </summary>
public sealed record SyntheticRecipe
{
    /// <summary>Invented countries (default 400).</summary>
    public int Countries { get; init; } = 400;

    /// <summary>Training questions per answerable family (default 600).</summary>
    public int PerFamily { get; init; } = 600;

    /// <summary>Seed of the invented names, facts and questions (default 11).</summary>
    public int Seed { get; init; } = 11;

    /// <summary>Folder of the real country-json files, relative to the recipe (default <c>data/source</c>).</summary>
    public string Source { get; init; } = "data/source";

    /// <summary>The writer's options.</summary>
    public AgentKit.Atlas.Data.SyntheticAgentOptions ToOptions() => new() { Countries = Countries, PerFamily = PerFamily, Seed = Seed };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Countries is < 10 or > 5_000)
            throw new ArgumentException($"synthetic.countries must be between 10 and 5000, got {Countries}.");
        if (PerFamily is < 1 or > 100_000)
            throw new ArgumentException($"synthetic.per_family must be between 1 and 100000, got {PerFamily}.");
        if (string.IsNullOrWhiteSpace(Source))
            throw new ArgumentException("synthetic.source must be a folder path.");
    }
}

/// <summary>The tokenizer trained on the SFT data.</summary>
public sealed record TokenizerRecipe
{
    /// <summary>Vocabulary size including the 256 byte tokens and the special tokens.</summary>
    public required int VocabSize { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when the size is out of range.</summary>
    public void Validate()
    {
        if (VocabSize is < 260 or > 1_000_000)
            throw new ArgumentException($"tokenizer.vocab_size must be between 260 (256 bytes + specials) and 1000000, got {VocabSize}.");
    }
}

/// <summary>SFT settings; the names are those of <c>agentkit train sft</c>'s options.</summary>
public sealed record SftRecipe
{
    /// <summary>Passes over the data (default 1; ignored with <see cref="MaxSteps"/>).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Optimizer steps to run instead of whole epochs.</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Peak learning rate (default 1e-3).</summary>
    public double Lr { get; init; } = 1e-3;

    /// <summary>Warm-up steps (default 10).</summary>
    public int Warmup { get; init; } = 10;

    /// <summary>Packed rows per micro-batch (default 4).</summary>
    public int BatchSize { get; init; } = 4;

    /// <summary>Micro-batches per optimizer step (default 1).</summary>
    public int GradAccum { get; init; } = 1;

    /// <summary>Tokens per packed row (default 512).</summary>
    public int SeqLen { get; init; } = 512;

    /// <summary>Fraction of examples held out for validation (default 0.1).</summary>
    public double ValFraction { get; init; } = 0.1;

    /// <summary>Validate every N steps (default 50).</summary>
    public int EvalEvery { get; init; } = 50;

    /// <summary>Save a resumable checkpoint every N steps (default 100).</summary>
    public int SaveEvery { get; init; } = 100;

    /// <summary>AdamW weight decay (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Gradient clipping norm (default 1; 0 disables).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Seed of initialisation, data order and dropout (default 1234).</summary>
    public long Seed { get; init; } = 1234;

    /// <summary>Train LoRA adapters of this rank instead of all weights (default: all weights).</summary>
    public int? LoraRank { get; init; }

    /// <summary>LoRA alpha: the update is scaled by alpha / rank (default 16, with <see cref="LoraRank"/>).</summary>
    public double? LoraAlpha { get; init; }

    /// <summary>Dropout on the LoRA input (default 0, with <see cref="LoraRank"/>).</summary>
    public double? LoraDropout { get; init; }

    /// <summary>Comma-separated projections to adapt, or <c>all-linear</c> for all seven (default q/k/v/o, with <see cref="LoraRank"/>).</summary>
    public string? LoraTargets { get; init; }

    /// <summary>Where to train: <c>cpu</c> (default) or <c>cuda</c>.</summary>
    public string? Device { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting (checked by the trainer's own options).</summary>
    public void Validate()
    {
        if (LoraRank is null && (LoraAlpha is not null || LoraDropout is not null || LoraTargets is not null))
            throw new ArgumentException("sft.lora_alpha, sft.lora_dropout and sft.lora_targets need sft.lora_rank.");
        if (LoraRank is < 1)
            throw new ArgumentException($"sft.lora_rank must be >= 1, got {LoraRank}.");
        try
        {
            ToLora()?.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"sft.lora_*: {ex.Message}", ex);
        }
        if (Device is not null && Device.Trim().ToLowerInvariant() is not ("cpu" or "cuda"))
            throw new ArgumentException($"sft.device must be \"cpu\" or \"cuda\", got \"{Device}\".");
        try
        {
            ToOptions("sft.jsonl", "sft", threads: null);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"sft: {ex.Message}", ex);
        }
    }

    /// <summary>The trainer options for <paramref name="dataPath"/> and <paramref name="outputDirectory"/>.</summary>
    public AgentKit.Training.Sft.SftOptions ToOptions(string dataPath, string outputDirectory, int? threads) => new AgentKit.Training.Sft.SftOptions
    {
        DataPath = dataPath, OutputDirectory = outputDirectory, ValidationFraction = ValFraction, Epochs = Epochs, MaxSteps = MaxSteps,
        LearningRate = Lr, WarmupSteps = Warmup, BatchSize = BatchSize, GradientAccumulationSteps = GradAccum, SequenceLength = SeqLen,
        WeightDecay = WeightDecay, MaxGradNorm = MaxGradNorm, EvalEvery = EvalEvery, SaveEvery = SaveEvery, Seed = Seed, Threads = threads,
        Lora = ToLora(), Device = Device is null ? AgentKit.Training.ComputeDevice.Cpu : AgentKit.Training.ComputeDevices.Parse(Device),
    }.Validate();

    /// <summary>The LoRA settings, as <c>agentkit train sft --lora-rank --lora-alpha --lora-dropout --lora-targets</c> reads them; null without a rank.</summary>
    public LoraSettings? ToLora() => LoraRank is { } rank
        ? new LoraSettings
        {
            Rank = rank, Alpha = LoraAlpha ?? 16, Dropout = LoraDropout ?? 0,
            TargetModules = LoraTargets is null ? new LoraSettings().TargetModules
                : LoraTargets.Trim() == "all-linear" ? LoraSettings.AllLinear
                : LoraTargets.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        }
        : null;
}

/// <summary>The GGUF export, and the optional Hugging Face export.</summary>
public sealed record ExportRecipe
{
    /// <summary>Tensor type: <c>f32</c>, <c>f16</c> or <c>q8_0</c> (default f16).</summary>
    public string Type { get; init; } = "f16";

    /// <summary>Where the GGUF is copied, relative to the agent folder (default model.gguf).</summary>
    public string Out { get; init; } = "model.gguf";

    /// <summary>A Hugging Face export beside the GGUF, as <c>agentkit export hf</c> writes it (optional).</summary>
    public HfExportRecipe? Hf { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (Type is not ("f32" or "f16" or "q8_0"))
            throw new ArgumentException($"export.type must be \"f32\", \"f16\" or \"q8_0\", got \"{Type}\".");
        if (string.IsNullOrWhiteSpace(Out))
            throw new ArgumentException("export.out must be a file path.");
        Hf?.Validate();
    }
}
