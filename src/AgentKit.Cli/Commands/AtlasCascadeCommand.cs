// agentkit atlas cascade --out DIR [--questions FILE] [--limit N] [--rules total,p10] [--shares 0.1,0.2,0.3,0.5]
//     [--teacher-endpoint URL --teacher-model NAME] [--plot FILE.png] [--json]
using System.CommandLine;
using System.Globalization;
using AgentKit.Atlas.Evaluation;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Teacher;
using AgentKit.Cli.Hosting;
using AgentKit.Core.Cascade;
using AgentKit.Server;
using ScottPlot;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit atlas cascade</c>: the quality–deferral curve of the atlas model cascaded to a teacher endpoint, per
/// deferral rule (<see cref="CascadeSweep"/>). Without <c>--teacher-endpoint</c> the programmatic teacher is served on
/// a free local port through the real OpenAI-compatible server, so the cascade talks to an endpoint either way.
/// </summary>
internal static class AtlasCascadeCommand
{
    public static Command Create()
    {
        var agentOptions = new AgentCliOptions(defaultAgent: Path.Combine("agents", "atlas"));
        var questions = new Option<string>("--questions") { Description = "Question JSONL.", DefaultValueFactory = _ => Path.Combine("agents", "atlas", "questions", "test.jsonl") };
        var limit = new Option<int?>("--limit") { Description = "Only the first N questions." };
        var rules = new Option<string>("--rules") { Description = "Deferral rules to compare (total, min, p10, p25, p50, mean, logistic:FILE from trajectories fit-deferral).", DefaultValueFactory = _ => "total,p10" };
        var shares = new Option<string>("--shares") { Description = "Target shares of steps deferred, each in (0, 1).", DefaultValueFactory = _ => "0.1,0.2,0.3,0.5" };
        var teacherEndpoint = new Option<string?>("--teacher-endpoint") { Description = "OpenAI-compatible teacher (default: the programmatic teacher, served locally)." };
        var teacherModel = new Option<string?>("--teacher-model") { Description = "Model name to request from --teacher-endpoint." };
        var output = new Option<string>("--out") { Description = "Folder for each pass's trajectories and sweep.json.", Required = true };
        var plot = new Option<string?>("--plot") { Description = "Draw success against share deferred, one line per rule, to this PNG." };
        var json = CommonOptions.Json();
        var command = new Command("cascade", "Measure the atlas model cascaded to a teacher endpoint: success against share of steps deferred, per deferral rule.")
            { questions, limit, rules, shares, teacherEndpoint, teacherModel, output, plot, json };
        agentOptions.AddTo(command, includeCandidates: false);

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var endpoint = pr.GetValue(teacherEndpoint);
            var model = pr.GetValue(teacherModel);
            if ((endpoint is null) != (model is null))
                throw new CliUsageException("--teacher-endpoint and --teacher-model go together.");
            if (pr.GetValue(limit) is < 1)
                throw new CliUsageException($"--limit must be at least 1, got {pr.GetValue(limit)}.");
            var shareList = ParseShares(pr.GetValue(shares)!);
            var ruleList = ParseRules(pr.GetValue(rules)!);
            var questionsPath = pr.GetValue(questions)!;
            var selected = CliUsageException.Check(() => QuestionFile.Select(questionsPath, limit: pr.GetValue(limit)));
            var settings = agentOptions.Read(pr);

            await using var served = endpoint is null
                ? new OpenAICompatibleServer(new TeacherCandidateGenerator(selected, takeOver: true), new ServerOptions { Port = 0, ModelName = "atlas-teacher" })
                : null;
            if (served is not null)
                endpoint = (await served.StartAsync(ct)).ToString();
            var options = CliUsageException.CheckWith(() => new CascadeSweepOptions
            {
                TeacherEndpoint = endpoint!, TeacherModel = model ?? "atlas-teacher", Rules = ruleList, Shares = shareList, OutputFolder = pr.GetValue(output)!,
            }.Validate(), ex => $"--rules/--shares/--teacher-endpoint: {ex.Message}");

            var report = pr.GetValue(json)
                ? await CascadeSweep.RunAsync(settings, questionsPath, selected, options, null, ct)
                : await SpectreConsoles.For(pr.InvocationConfiguration.Error).Progress().StartAsync(ctx =>
                {
                    ProgressTask? bar = null;
                    var pass = 0;
                    return CascadeSweep.RunAsync(settings, questionsPath, selected, options, new SyncProgress<AtlasEvalProgress>(p =>
                    {
                        if (p.Done == 0 || bar is null) // each pass reports its start with nothing done
                            bar = ctx.AddTask($"pass {++pass}", maxValue: p.Total);
                        bar.Value = p.Done;
                        bar.Description = $"pass {pass} ({p.Correct} correct)";
                    }), ct);
                });
            await File.WriteAllTextAsync(Path.Combine(options.OutputFolder, "sweep.json"), System.Text.Json.JsonSerializer.Serialize(report, JsonOutput.Options), ct);
            if (pr.GetValue(plot) is { } plotPath)
                Draw(report, plotPath);
            CliOutput.Write(pr, pr.GetValue(json), report, console =>
            {
                var table = new Table().AddColumns("rule", "target share", "threshold", "share deferred", "success");
                foreach (var p in report.Points)
                {
                    table.AddRow(p.Rule, p.TargetShare.ToString("P0", CultureInfo.InvariantCulture), p.Threshold?.ToString("G4", CultureInfo.InvariantCulture) ?? "-",
                        p.DeferredShare.ToString("P1", CultureInfo.InvariantCulture), $"{p.Success.ToString("P1", CultureInfo.InvariantCulture)} ({p.Correct}/{p.Questions})");
                }
                console.Write(table);
            });
            return CliApp.Success;
        });
        return command;
    }

    private static List<IDeferralRule> ParseRules(string text)
    {
        var list = new List<IDeferralRule>();
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            try
            {
                list.Add(DeferralRuleSpec.ParseRule(name));
            }
            catch (FormatException)
            {
                throw new CliUsageException($"--rules: unknown rule '{name}'; known: total, min, p10, p25, p50, mean, logistic:FILE.");
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
            {
                throw new CliUsageException($"--rules: {ex.Message}");
            }
        }
        return list.Count > 0 ? list : throw new CliUsageException("--rules needs at least one rule.");
    }

    private static List<double> ParseShares(string text)
    {
        var list = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || !(share is > 0 and < 1))
                throw new CliUsageException($"--shares takes comma-separated shares strictly between 0 and 1, got '{text}'.");
            list.Add(share);
        }
        return list.Count > 0 ? list : throw new CliUsageException("--shares needs at least one share.");
    }

    private static void Draw(CascadeSweepReport report, string path)
    {
        var plot = new Plot();
        var student = report.Points.First(p => p.Rule == "student");
        var teacher = report.Points.First(p => p.Rule == "teacher");
        foreach (var rule in report.Points.Select(p => p.Rule).Where(r => r is not ("student" or "teacher")).Distinct())
        {
            var points = report.Points.Where(p => p.Rule == rule).OrderBy(p => p.DeferredShare).Prepend(student).Append(teacher).ToList();
            var line = plot.Add.Scatter(points.Select(p => p.DeferredShare * 100).ToArray(), points.Select(p => p.Success * 100).ToArray());
            line.LegendText = rule;
        }
        plot.XLabel("steps deferred to the teacher (%)");
        plot.YLabel("success (%)");
        plot.ShowLegend();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
            Directory.CreateDirectory(folder);
        plot.SavePng(path, 800, 500);
    }
}
