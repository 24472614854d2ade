namespace AgentKit.Fuzzing.LanguageModel;

/// <summary>The <c>lm</c> section of a campaign's report: what the model-written inputs cost and brought.</summary>
public sealed record LmReport
{
    /// <summary>The model's name (<see cref="AgentKit.Abstractions.Models.ModelIdentity.Name"/>).</summary>
    public required string Model { get; init; }

    /// <summary>Rounds completed (questions built, model asked, answers run); a look at a corpus without a frontier is none.</summary>
    public required int Rounds { get; init; }

    /// <summary>Distinct new inputs the model wrote unprompted at the start (<see cref="LmSeedingOptions.GeneratedInputs"/>); they count in <see cref="InputsTried"/> too.</summary>
    public int GeneratedInputs { get; init; }

    /// <summary>Frontier questions put to the model.</summary>
    public required int Questions { get; init; }

    /// <summary>Completions the model returned.</summary>
    public required int Completions { get; init; }

    /// <summary>Distinct new inputs read from the completions and run in the campaign's workers.</summary>
    public required int InputsTried { get; init; }

    /// <summary>Of <see cref="InputsTried"/>, those that added coverage (and so joined the corpus).</summary>
    public required int InputsAddedCoverage { get; init; }

    /// <summary>Probe ids of frontier targets (uncovered blocks next to covered ones) whose block an LM input covered first.</summary>
    public required IReadOnlyList<int> BranchesOpened { get; init; }

    /// <summary>Campaign seconds when an LM input was first seen to open a frontier branch (checked after each round; null: none).</summary>
    public double? FirstOpenedSeconds { get; init; }

    /// <summary>Wall time spent waiting for the model, in seconds.</summary>
    public required double ModelSeconds { get; init; }

    /// <summary><see cref="ModelSeconds"/> over the campaign's wall time (the workers keep fuzzing meanwhile).</summary>
    public required double ModelShare { get; init; }

    /// <summary>Model calls that threw or ran past the round budget, and rounds that could not build questions.</summary>
    public required int ModelErrors { get; init; }

    /// <summary>Completions that gave no usable input (empty, or longer than the campaign's input limit).</summary>
    public required int UnusableAnswers { get; init; }

    /// <summary>Usable completions whose input had already run (in the corpus, or written by the model before): run once, counted here.</summary>
    public int RepeatedAnswers { get; init; }

    /// <summary>Questions asked again because every answer repeated an input (<see cref="LmSeedingOptions.RepeatRetries"/>); each counts in <see cref="Questions"/> too.</summary>
    public int Retries { get; init; }

    /// <summary>The last error's message (null: none).</summary>
    public string? LastError { get; init; }
}
