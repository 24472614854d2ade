using System.Text;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Running;
using AgentKit.Core.Trajectories.Trl;

namespace AgentKit.Core.Trajectories;

/// <summary>The training data <see cref="TrajectoryExport"/> writes.</summary>
public enum TrajectoryExportFormat
{
    /// <summary>SFT chat examples, one run per line (<see cref="SftExporter"/>).</summary>
    Sft,

    /// <summary>Per-step candidate groups with outcomes, for RL (<see cref="CandidateGroupExporter"/>).</summary>
    Groups,

    /// <summary>TRL's conversational SFT dataset (<see cref="TrlDatasetFormat.Sft"/>).</summary>
    TrlSft,

    /// <summary>TRL's prompt/completion dataset (<see cref="TrlDatasetFormat.PromptCompletion"/>).</summary>
    TrlPromptCompletion,

    /// <summary>TRL's GRPO dataset, prompt plus answer (<see cref="TrlDatasetFormat.Grpo"/>).</summary>
    TrlGrpo,
}

/// <summary>What <see cref="TrajectoryExport.Run"/> reads and writes; <see cref="Validate"/> checks the files.</summary>
public sealed record TrajectoryExportOptions
{
    /// <summary>The trajectory JSONL file (from a run, an evaluation or a recording).</summary>
    public required string Input { get; init; }

    /// <summary>The file to write (replaced; its folder is created).</summary>
    public required string Output { get; init; }

    /// <summary>What to write.</summary>
    public TrajectoryExportFormat Format { get; init; }

    /// <summary>Export only runs scored correct.</summary>
    public bool OnlyCorrect { get; init; }

    /// <summary>
    /// For <see cref="TrajectoryExportFormat.Sft"/>: train only on the actions a cascade deferred to its teacher (active
    /// distillation); runs without a deferred step are left out.
    /// </summary>
    public bool DeferredOnly { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> when the input is missing or the output would overwrite it; returns this.</summary>
    public TrajectoryExportOptions Validate()
    {
        if (!File.Exists(Input))
            throw new ArgumentException($"trajectory file not found: {Input}");
        if (Path.GetFullPath(Output) == Path.GetFullPath(Input))
            throw new ArgumentException("the output file must differ from --in.");
        if (DeferredOnly && Format != TrajectoryExportFormat.Sft)
            throw new ArgumentException("only SFT examples can be restricted to deferred steps (--deferred-only goes with --sft).");
        return this;
    }
}

/// <summary>The figures of one export (and the <c>--json</c> document of <c>agentkit trajectories export</c>).</summary>
/// <param name="Input">The trajectory file read.</param>
/// <param name="Output">Full path of the file written.</param>
/// <param name="Format">The format's name (<see cref="TrajectoryExport.FormatName"/>).</param>
/// <param name="Records">Runs read.</param>
/// <param name="Unfinished">Runs whose process ended mid-run (they hold the steps that finished).</param>
/// <param name="Written">Lines written.</param>
/// <param name="Skipped">Unreadable input lines skipped.</param>
/// <param name="Warnings">One warning per skipped line.</param>
public sealed record TrajectoryExportReport(string Input, string Output, string Format, int Records, int Unfinished, int Written, int Skipped, IReadOnlyList<string> Warnings);

/// <summary>
/// Turns recorded runs into training data. Unreadable lines of the input (a killed writer's truncated last line, a
/// corrupt line) are skipped, reported as they are met and counted; an input with no readable run is an error.
/// <code>
/// var report = TrajectoryExport.Run(new TrajectoryExportOptions { Input = "runs.jsonl", Output = "sft.jsonl", Format = TrajectoryExportFormat.TrlSft }.Validate());
/// </code>
/// </summary>
public static class TrajectoryExport
{
    private static readonly Dictionary<TrajectoryExportFormat, string> Names = new()
    {
        [TrajectoryExportFormat.Sft] = "sft",
        [TrajectoryExportFormat.Groups] = "groups",
        [TrajectoryExportFormat.TrlSft] = "trl-sft",
        [TrajectoryExportFormat.TrlPromptCompletion] = "trl-prompt-completion",
        [TrajectoryExportFormat.TrlGrpo] = "trl-grpo",
    };

    /// <summary>The names of the TRL formats (<c>trl-sft</c>, <c>trl-prompt-completion</c>, <c>trl-grpo</c>).</summary>
    public static IReadOnlyList<string> TrlFormatNames { get; } = ["trl-sft", "trl-prompt-completion", "trl-grpo"];

    /// <summary>The name of <paramref name="format"/> (<c>sft</c>, <c>groups</c>, <c>trl-sft</c>, …).</summary>
    public static string FormatName(TrajectoryExportFormat format) => Names[format];

    /// <summary>The format called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No format has that name.</exception>
    public static TrajectoryExportFormat ParseFormat(string name) =>
        Names.FirstOrDefault(kv => kv.Value == name) is { Value: not null } found
            ? found.Key
            : throw new ArgumentException($"unknown export format '{name}'; known: {string.Join(", ", Names.Values)}.");

    /// <summary>Reads <see cref="TrajectoryExportOptions.Input"/> and writes <see cref="TrajectoryExportOptions.Output"/>.</summary>
    /// <param name="options">The files and format.</param>
    /// <param name="warnings">Receives one warning per skipped input line, before anything is written.</param>
    /// <exception cref="InvalidDataException">The input holds no readable run; nothing is written.</exception>
    public static TrajectoryExportReport Run(TrajectoryExportOptions options, IProgress<string>? warnings = null)
    {
        options.Validate();
        var read = JsonlTrajectoryReader.Read(options.Input);
        foreach (var warning in read.Warnings)
            warnings?.Report(warning);
        if (read.Records.Count == 0)
            throw new InvalidDataException($"{options.Input}: no readable run{(read.Warnings.Count > 0 ? $" ({read.Warnings.Count} line(s) skipped)" : "")}.");
        IEnumerable<TrajectoryRecord> records = read.Records;
        if (options.OnlyCorrect)
            records = records.Where(r => r.Score?.Correct == true);

        var folder = Path.GetDirectoryName(Path.GetFullPath(options.Output));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        int written;
        using (var writer = new StreamWriter(options.Output, append: false, new UTF8Encoding(false)))
        {
            written = options.Format switch
            {
                TrajectoryExportFormat.Sft => SftExporter.Export(records, writer, options.DeferredOnly),
                TrajectoryExportFormat.Groups => CandidateGroupExporter.Export(records, writer),
                TrajectoryExportFormat.TrlSft => TrlExporter.Export(records, TrlDatasetFormat.Sft, writer),
                TrajectoryExportFormat.TrlPromptCompletion => TrlExporter.Export(records, TrlDatasetFormat.PromptCompletion, writer),
                TrajectoryExportFormat.TrlGrpo => TrlExporter.Export(records, TrlDatasetFormat.Grpo, writer),
                _ => throw new ArgumentOutOfRangeException(nameof(options), options.Format, "Unknown export format."),
            };
        }
        return new TrajectoryExportReport(options.Input, Path.GetFullPath(options.Output), FormatName(options.Format), read.Records.Count,
            read.Records.Count(UnfinishedRun.IsUnfinished), written, read.Warnings.Count, read.Warnings);
    }
}
