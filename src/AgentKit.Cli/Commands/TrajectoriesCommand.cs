// agentkit trajectories export --in traj.jsonl (--sft out.jsonl | --groups out.jsonl) [--only-correct] [--json]
using System.CommandLine;
using System.Text;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Trajectories;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit trajectories export</c>: turns recorded runs into training data: SFT chat JSONL
/// (<c>{"messages":[{"role","content","weight"}]}</c>, weight 1 on assistant turns) or per-step candidate
/// groups with outcomes for RL. Unreadable lines of the input are skipped with a warning on stderr.
/// </summary>
internal static class TrajectoriesCommand
{
    private sealed record ExportReport(string Input, string Output, string Format, int Records, int Written, IReadOnlyList<string> Warnings);

    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "Trajectory JSONL file (from run, eval --trajectory or record).", Required = true };
        var sft = new Option<string?>("--sft") { Description = "Write SFT chat examples (one run per line) to this file." };
        var groups = new Option<string?>("--groups") { Description = "Write per-step candidate groups with outcomes (for RL) to this file." };
        var onlyCorrect = new Option<bool>("--only-correct") { Description = "Export only runs scored correct." };
        var json = CommonOptions.Json();
        var export = new Command("export", "Export trajectories as SFT chat data or RL candidate groups.") { input, sft, groups, onlyCorrect, json };

        export.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var inPath = pr.GetValue(input)!;
            var sftPath = pr.GetValue(sft);
            var groupsPath = pr.GetValue(groups);
            if ((sftPath is null) == (groupsPath is null))
                throw new CliUsageException("give exactly one of --sft FILE or --groups FILE.");
            if (!File.Exists(inPath))
                throw new CliUsageException($"trajectory file not found: {inPath}");
            var outPath = sftPath ?? groupsPath!;
            if (Path.GetFullPath(outPath) == Path.GetFullPath(inPath))
                throw new CliUsageException("the output file must differ from --in.");

            var read = JsonlTrajectoryReader.Read(inPath);
            var stderr = pr.InvocationConfiguration.Error;
            foreach (var warning in read.Warnings)
                stderr.WriteLine($"warning: {warning}");
            IEnumerable<TrajectoryRecord> records = read.Records;
            if (pr.GetValue(onlyCorrect))
                records = records.Where(r => r.Score?.Correct == true);

            var folder = Path.GetDirectoryName(Path.GetFullPath(outPath));
            if (!string.IsNullOrEmpty(folder))
                Directory.CreateDirectory(folder);
            int written;
            using (var writer = new StreamWriter(outPath, append: false, new UTF8Encoding(false)))
                written = sftPath is not null ? SftExporter.Export(records, writer) : CandidateGroupExporter.Export(records, writer);

            var report = new ExportReport(inPath, Path.GetFullPath(outPath), sftPath is not null ? "sft" : "groups", read.Records.Count, written, read.Warnings);
            var stdout = pr.InvocationConfiguration.Output;
            if (pr.GetValue(json))
                JsonOutput.Write(stdout, report);
            else
                SpectreConsoles.For(stdout).Write(new Table()
                    .AddColumns("runs read", "skipped lines", "format", "lines written", "out")
                    .AddRow(report.Records.ToString(), report.Warnings.Count.ToString(), report.Format, report.Written.ToString(), Markup.Escape(report.Output)));
            return Task.FromResult(CliApp.Success);
        });

        return new Command("trajectories", "Work with recorded trajectory files.") { export };
    }
}
