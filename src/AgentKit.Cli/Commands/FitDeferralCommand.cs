// agentkit trajectories fit-deferral --in runs.jsonl [--in more.jsonl] --out rule.json [--json]
using System.CommandLine;
using System.Globalization;
using AgentKit.Core.Cascade;
using AgentKit.Core.Trajectories;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit trajectories fit-deferral</c>: fits a <see cref="LogisticDeferralRule"/> on the student steps of runs
/// recorded through a cascade (<see cref="DeferralSample.From"/>; a cascade with <c>--defer total:Infinity</c> records
/// the statistics without deferring) and saves it for <c>--defer logistic:FILE:P</c>.
/// </summary>
internal static class FitDeferralCommand
{
    /// <summary>What the fit saw and wrote.</summary>
    /// <param name="Samples">Student steps used.</param>
    /// <param name="FailedShare">Share of them whose run ended wrong.</param>
    /// <param name="Features">Feature names, in the order of <paramref name="Weights"/>.</param>
    /// <param name="Weights">Weights of the standardised features.</param>
    /// <param name="Out">The rule file.</param>
    internal sealed record FitReport(int Samples, double FailedShare, IReadOnlyList<string> Features, IReadOnlyList<double> Weights, string Out);

    public static Command Create()
    {
        var input = new Option<string[]>("--in") { Description = "Trajectory JSONL recorded through a cascade (repeatable).", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Rule file to write (JSON).", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("fit-deferral", "Fit a logistic deferral rule (failure probability from token statistics) on runs recorded through a cascade.") { input, output, json };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var samples = new List<DeferralSample>();
            foreach (var path in pr.GetValue(input)!)
            {
                if (!File.Exists(path))
                    throw new CliUsageException($"--in: trajectory file not found: {path}");
                samples.AddRange(DeferralSample.From(JsonlTrajectoryReader.Read(path).Records));
            }
            if (samples.Count == 0)
                throw new CliUsageException("--in: no scored run recorded token statistics; record them through a cascade (--cascade-endpoint … --defer total:Infinity).");
            var rule = CliUsageException.Check(() => LogisticDeferralRule.Fit(samples));
            var outPath = pr.GetValue(output)!;
            var folder = Path.GetDirectoryName(Path.GetFullPath(outPath));
            if (!string.IsNullOrEmpty(folder))
                Directory.CreateDirectory(folder);
            rule.Save(outPath);
            var report = new FitReport(samples.Count, Math.Round((double)samples.Count(s => s.Failed) / samples.Count, 4), LogisticDeferralRule.FeatureNames,
                [.. rule.Weights.Select(w => Math.Round(w, 4))], Path.GetFullPath(outPath));
            CliOutput.Write(pr, pr.GetValue(json), report, console =>
            {
                var table = new Table().AddColumns("feature", "weight");
                for (var i = 0; i < report.Features.Count; i++)
                    table.AddRow(report.Features[i], report.Weights[i].ToString("F4", CultureInfo.InvariantCulture));
                console.Write(table);
                console.WriteLine($"{report.Samples} student steps, {report.FailedShare:P1} from runs that ended wrong; rule written to {report.Out}");
            });
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }
}
