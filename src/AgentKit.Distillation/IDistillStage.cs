using System.Text.Json.Nodes;

namespace AgentKit.Distillation;

/// <summary>What a stage does this time.</summary>
internal enum StagePlan
{
    /// <summary>Its output is complete: nothing to do.</summary>
    Skip,

    /// <summary>Its output is partial: continue it.</summary>
    Resume,

    /// <summary>Make its output from scratch.</summary>
    Run,
}

/// <summary>
/// One step of the distillation: a fixed output in the work folder, the recipe settings it depends on,
/// a way to tell whether its output is complete, and the work itself.
/// </summary>
internal interface IDistillStage
{
    /// <summary>Name in messages, the ledger and the report.</summary>
    string Name { get; }

    /// <summary>The output's name(s) inside the work folder, for messages.</summary>
    string Output { get; }

    /// <summary>The settings the output depends on (recorded in the ledger and compared on every run).</summary>
    JsonObject Parameters { get; }

    /// <summary>Whether any of the stage's output exists (complete or not).</summary>
    bool HasOutput { get; }

    /// <summary>What to do, given the ledger's record (whose parameters already match).</summary>
    StagePlan Assess(StageRecord? record);

    /// <summary>Fails early, before anything runs, when the stage could not run (e.g. a missing input of the agent folder).</summary>
    void Preflight();

    /// <summary>Deletes the stage's output.</summary>
    void Reset();

    /// <summary>Does the work (<paramref name="resume"/>: continue a partial output) and returns the figures for the ledger.</summary>
    Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken);

    /// <summary>A one-line summary of the figures <see cref="RunAsync"/> returned.</summary>
    string Summarize(JsonNode results);
}
