// agentkit trajectories export --in traj.jsonl (--sft out.jsonl | --groups out.jsonl | --format trl-sft|trl-prompt-completion|trl-grpo --out out.jsonl) [--only-correct] [--json]
using System.CommandLine;
using AgentKit.Core.Display;
using AgentKit.Core.Trajectories;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit trajectories export</c>: turns recorded runs into training data: SFT chat JSONL
/// (<c>{"messages":[{"role","content","weight"}]}</c>, weight 1 on assistant turns) or per-step candidate
/// groups with outcomes for RL, or the conversational datasets Hugging Face TRL's SFT and GRPO trainers read
/// (<see cref="TrajectoryExport"/>). Unreadable lines of the input (a killed writer's truncated last line, a corrupt
/// line) are skipped with a warning on stderr and counted in the report; an input with no readable run fails (exit 1).
/// </summary>
internal static class TrajectoriesCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--in") { Description = "Trajectory JSONL file (from run, eval --trajectory or record).", Required = true };
        var sft = new Option<string?>("--sft") { Description = "Write SFT chat examples (one run per line) to this file." };
        var groups = new Option<string?>("--groups") { Description = "Write per-step candidate groups with outcomes (for RL) to this file." };
        var format = new Option<string?>("--format") { Description = "With --out: a Hugging Face TRL dataset: trl-sft (messages), trl-prompt-completion or trl-grpo (prompt + answer)." };
        format.AcceptOnlyFromAmong([.. TrajectoryExport.TrlFormatNames]);
        var output = new Option<string?>("--out") { Description = "With --format: the dataset file to write." };
        var onlyCorrect = new Option<bool>("--only-correct") { Description = "Export only runs scored correct." };
        var deferredOnly = new Option<bool>("--deferred-only") { Description = "With --sft: train only on the steps a cascade deferred to its teacher (active distillation)." };
        var json = CommonOptions.Json();
        var export = new Command("export", "Export trajectories as SFT chat data, RL candidate groups or TRL datasets.") { input, sft, groups, format, output, onlyCorrect, deferredOnly, json };

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
            var options = CliUsageException.Check(() => new TrajectoryExportOptions
            {
                Input = inPath, Output = sftPath ?? groupsPath ?? trlPath!, OnlyCorrect = pr.GetValue(onlyCorrect), DeferredOnly = pr.GetValue(deferredOnly),
                Format = trlName is not null ? TrajectoryExport.ParseFormat(trlName) : sftPath is not null ? TrajectoryExportFormat.Sft : TrajectoryExportFormat.Groups,
            }.Validate());
            var stderr = pr.InvocationConfiguration.Error;
            var report = TrajectoryExport.Run(options, new SyncProgress<string>(warning => stderr.WriteLine($"warning: {TerminalText.Escape(warning)}")));
            CliOutput.Write(pr, pr.GetValue(json), report, console =>
            {
                console.Write(new Table()
                    .AddColumns("runs read", "skipped lines", "format", "lines written", "out")
                    .AddRow(report.Records.ToString(), report.Skipped.ToString(), report.Format, report.Written.ToString(), SpectreConsoles.SafeMarkup(report.Output)));
                if (report.Unfinished > 0)
                    console.WriteLine($"{report.Unfinished} run(s) unfinished: their process ended mid-run; they hold the steps that finished.");
            });
            return Task.FromResult(CliApp.Success);
        });

        return new Command("trajectories", "Work with recorded trajectory files.") { export, FitDeferralCommand.Create() };
    }
}
