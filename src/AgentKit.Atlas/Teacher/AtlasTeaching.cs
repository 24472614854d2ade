using AgentKit.Atlas.Questions;
using AgentKit.Core.Definitions;
using AgentKit.Core.Trajectories;
using AgentKit.Hosting;
using AgentKit.Sandbox;

namespace AgentKit.Atlas.Teacher;

/// <summary>How <see cref="AtlasTeaching.RunAsync"/> teaches.</summary>
public sealed record TeachOptions
{
    /// <summary>The atlas agent folder (its definition and Search settings are used).</summary>
    public required string AgentFolder { get; init; }

    /// <summary>New JSONL file for the trajectories (never appended to or overwritten when it holds runs).</summary>
    public required string Out { get; init; }

    /// <summary>Questions run at once, one sandbox worker each (1-64; default one per core).</summary>
    public int Parallel { get; init; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>Wall-clock limit per code snippet in milliseconds (100-600000; default 5000).</summary>
    public int TimeoutMs { get; init; } = 5000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting; returns this otherwise.</summary>
    public TeachOptions Validate()
    {
        if (File.Exists(Out) && new FileInfo(Out).Length > 0)
            throw new ArgumentException($"{Out} already exists; choose a new file (teach never appends to or overwrites recorded trajectories).");
        if (Parallel is < 1 or > 64)
            throw new ArgumentException($"parallel must be between 1 and 64, got {Parallel}.");
        if (TimeoutMs is < 100 or > 600_000)
            throw new ArgumentException($"the snippet time limit must be between 100 and 600000 ms, got {TimeoutMs}.");
        return this;
    }
}

/// <summary>The teacher's success on one family and split.</summary>
/// <param name="Family">Question family.</param>
/// <param name="Split"><c>train</c> or <c>test</c>.</param>
/// <param name="Questions">Questions run.</param>
/// <param name="Correct">Correct answers.</param>
/// <param name="Success">Share correct.</param>
/// <param name="MeanSteps">Mean steps.</param>
/// <param name="Skipped">Questions not run (the runtime refuses empty ones).</param>
public sealed record FamilyScore(string Family, string Split, int Questions, int Correct, double Success, double MeanSteps, int Skipped);

/// <summary>What <see cref="AtlasTeaching.RunAsync"/> recorded (<c>agentkit atlas teach --json</c> prints it).</summary>
/// <param name="Out">The trajectory file.</param>
/// <param name="Questions">Questions run and scored.</param>
/// <param name="Correct">Correct answers.</param>
/// <param name="Success">Share correct.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="Families">Per family and split.</param>
/// <param name="Failures">One line per wrong answer.</param>
public sealed record TeachReport(string Out, int Questions, int Correct, double Success, double Seconds, IReadOnlyList<FamilyScore> Families, IReadOnlyList<string> Failures);

/// <summary>
/// Runs the programmatic teacher through the real runtime, sandbox and Search index over a question list, records its
/// trajectories and scores them (<c>agentkit atlas teach</c>).
/// </summary>
public static class AtlasTeaching
{
    /// <summary>Teaches every question of <paramref name="questions"/>; <paramref name="progress"/> hears each result (from several threads).</summary>
    public static async Task<TeachReport> RunAsync(IReadOnlyList<AtlasQuestion> questions, TeachOptions options, IProgress<TeachingResult>? progress = null,
        TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        time ??= TimeProvider.System;
        var agent = AgentDefinitionLoader.Load(options.AgentFolder);
        using var toolFactory = new AgentToolFactory();
        var tools = toolFactory.Create(agent);
        await using var sandbox = await CodeSandbox.StartAsync(
            new SandboxOptions { PoolSize = options.Parallel, Timeout = TimeSpan.FromMilliseconds(options.TimeoutMs) }, cancellationToken: cancellationToken).ConfigureAwait(false);
        using var writer = new JsonlTrajectoryWriter(options.Out);
        var started = time.GetTimestamp();
        var results = await new TeachingRun(agent.Definition, sandbox, tools).RunAsync(questions, writer, options.Parallel, progress, cancellationToken).ConfigureAwait(false);
        return Summarize(results, writer.Path, time.GetElapsedTime(started).TotalSeconds);
    }

    private static TeachReport Summarize(IReadOnlyList<TeachingResult> results, string path, double seconds)
    {
        var families = results.GroupBy(r => (r.Question.Family, r.Question.Split))
            .OrderBy(g => g.Key.Split).ThenBy(g => g.Key.Family)
            .Select(g =>
            {
                var ran = g.Where(r => r.Skipped is null).ToList();
                var correct = ran.Count(r => r.Correct);
                return new FamilyScore(g.Key.Family, g.Key.Split, ran.Count, correct, ran.Count == 0 ? 0 : Math.Round((double)correct / ran.Count, 4),
                    ran.Count == 0 ? 0 : Math.Round(ran.Average(r => r.Steps), 2), g.Count() - ran.Count);
            }).ToList();
        var scored = results.Where(r => r.Skipped is null).ToList();
        var failures = scored.Where(r => !r.Correct)
            .Select(r => $"{r.Question.Id} ({r.Question.Kind}): {r.Question.Question} => {r.Answer ?? r.Error ?? "(no answer)"}; gold {r.Question.Answer}")
            .ToList();
        var total = scored.Count(r => r.Correct);
        return new TeachReport(path, scored.Count, total, scored.Count == 0 ? 0 : Math.Round((double)total / scored.Count, 4), Math.Round(seconds, 1), families, failures);
    }
}
