// agentkit trajectories export --in traj.jsonl (--sft out.jsonl | --groups out.jsonl | --format trl-sft|trl-prompt-completion|trl-grpo --out out.jsonl) [--only-correct] [--json]
using System.CommandLine;
using System.Text;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Display;
using AgentKit.Core.Running;
using AgentKit.Core.Trajectories;
using AgentKit.Core.Trajectories.Trl;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit trajectories export</c>: turns recorded runs into training data: SFT chat JSONL
/// (<c>{"messages":[{"role","content","weight"}]}</c>, weight 1 on assistant turns) or per-step candidate
/// groups with outcomes for RL, or the conversational datasets Hugging Face TRL's SFT and GRPO trainers read
/// (<see cref="TrlExporter"/>). Unreadable lines of the input (a killed writer's truncated last line, a corrupt
/// line) are skipped with a warning on stderr and counted in the report; an input with no readable run fails (exit 1).
/// </summary>
internal static class TrajectoriesCommand
{
    private static readonly Dictionary<string, TrlDatasetFormat> TrlFormats = new(StringComparer.Ordinal)
    {
        ["trl-sft"] = TrlDatasetFormat.Sft,
        ["trl-prompt-completion"] = TrlDatasetFormat.PromptCompletion,
        ["trl-grpo"] = TrlDatasetFormat.Grpo,
    };

    private sealed record ExportReport(string Input, string Output, string Format, int Records, int Unfinished, int Written, int Skipped, IReadOnlyList<string> Warnings);

    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "Trajectory JSONL file (from run, eval --trajectory or record).", Required = true };
        var sft = new Option<string?>("--sft") { Description = "Write SFT chat examples (one run per line) to this file." };
        var groups = new Option<string?>("--groups") { Description = "Write per-step candidate groups with outcomes (for RL) to this file." };
        var format = new Option<string?>("--format") { Description = "With --out: a Hugging Face TRL dataset: trl-sft (messages), trl-prompt-completion or trl-grpo (prompt + answer)." };
        format.AcceptOnlyFromAmong(TrlFormats.Keys.ToArray());
        var output = new Option<string?>("--out") { Description = "With --format: the dataset file to write." };
        var onlyCorrect = new Option<bool>("--only-correct") { Description = "Export only runs scored correct." };
        var json = CommonOptions.Json();
        var export = new Command("export", "Export trajectories as SFT chat data, RL candidate groups or TRL datasets.") { input, sft, groups, format, output, onlyCorrect, json };

        export.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var inPath = pr.GetValue(input)!;
            var sftPath = pr.GetValue(sft);
            var groupsPath = pr.GetValue(groups);
            var trlName = pr.GetValue(format);
            var trlPath = pr.GetValue(output);
            if ((trlName is null) != (trlPath is null))
                throw new CliUsageException("--format and --out go together.");
            if (new[] { sftPath, groupsPath, trlPath }.Count(p => p is not null) != 1)
                throw new CliUsageException("give exactly one of --sft FILE, --groups FILE or --format FORMAT --out FILE.");
            if (!File.Exists(inPath))
                throw new CliUsageException($"trajectory file not found: {inPath}");
            var outPath = sftPath ?? groupsPath ?? trlPath!;
            if (Path.GetFullPath(outPath) == Path.GetFullPath(inPath))
                throw new CliUsageException("the output file must differ from --in.");

            var read = JsonlTrajectoryReader.Read(inPath);
            var stderr = pr.InvocationConfiguration.Error;
            foreach (var warning in read.Warnings)
                stderr.WriteLine($"warning: {TerminalText.Escape(warning)}");
            if (read.Records.Count == 0)
                throw new InvalidDataException($"{inPath}: no readable run{(read.Warnings.Count > 0 ? $" ({read.Warnings.Count} line(s) skipped)" : "")}.");
            IEnumerable<TrajectoryRecord> records = read.Records;
            if (pr.GetValue(onlyCorrect))
                records = records.Where(r => r.Score?.Correct == true);

            var folder = Path.GetDirectoryName(Path.GetFullPath(outPath));
            if (!string.IsNullOrEmpty(folder))
                Directory.CreateDirectory(folder);
            int written;
            using (var writer = new StreamWriter(outPath, append: false, new UTF8Encoding(false)))
            {
                written = trlName is not null ? TrlExporter.Export(records, TrlFormats[trlName], writer)
                    : sftPath is not null ? SftExporter.Export(records, writer)
                    : CandidateGroupExporter.Export(records, writer);
            }

            var formatName = trlName ?? (sftPath is not null ? "sft" : "groups");
            var report = new ExportReport(inPath, Path.GetFullPath(outPath), formatName, read.Records.Count,
                read.Records.Count(UnfinishedRun.IsUnfinished), written, read.Warnings.Count, read.Warnings);
            var stdout = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
                JsonOutput.Write(stdout, report);
            else
            {
                var console = SpectreConsoles.For(stdout);
                console.Write(new Table()
                    .AddColumns("runs read", "skipped lines", "format", "lines written", "out")
                    .AddRow(report.Records.ToString(), report.Skipped.ToString(), report.Format, report.Written.ToString(), SpectreConsoles.SafeMarkup(report.Output)));
                if (report.Unfinished > 0)
                    console.WriteLine($"{report.Unfinished} run(s) unfinished: their process ended mid-run; they hold the steps that finished.");
            }
            return Task.FromResult(CliApp.Success);
        });

        return new Command("trajectories", "Work with recorded trajectory files.") { export };
    }
}
