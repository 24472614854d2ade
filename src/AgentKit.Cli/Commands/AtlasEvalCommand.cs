// agentkit atlas eval [--questions agents/atlas/questions/test.jsonl] [--n 1,8] [--teacher] [--markdown FILE] [--json]
using System.CommandLine;
using System.Globalization;
using System.Text;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Scoring;
using AgentKit.Atlas.Teacher;
using AgentKit.Cli.Hosting;
using AgentKit.Core.Running;
using AgentKit.Core.Trajectories;
using AgentKit.Sandbox;
using Spectre.Console;
using AgentKit.Hosting;
using AgentKit.Hosting.Evaluation;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit atlas eval</c>: the atlas agent's evaluation table. Runs the agent's model on a question split once
/// per candidate count (<c>--n 1,8</c>), grades every answer with <see cref="AtlasAnswerScorer"/> (years and counts
/// exact, other numbers within 1%), and reports success overall and per family, parse errors per sampled action,
/// mean steps, seconds per task, what became of the unanswerable questions, and — with <c>--teacher</c> — the
/// programmatic teacher's success on the same questions, which checks the question generator.
/// </summary>
internal static class AtlasEvalCommand
{
    private const string EmptyRefused = "refused (empty question)";

    internal sealed record QuestionOutcome(string Id, string Family, string Question, string Gold, string? Answer, bool Correct, int Steps,
        double Seconds, int Candidates, int ParseErrors, string? Error);

    internal sealed record FamilySuccess(string Family, int Questions, int Correct, double Success);

    internal sealed record BadOutcomes(int Questions, int NotFound, int Refused, int Invented, int Errors);

    internal sealed record Configuration(string Name, int N, int Questions, double Success, IReadOnlyList<FamilySuccess> Families, double ParseErrorRate,
        double MeanSteps, double SecondsPerTask, BadOutcomes Bad, string? Trajectories, IReadOnlyList<QuestionOutcome> Results);

    internal sealed record EvalReport(string Questions, string Model, IReadOnlyList<Configuration> Configurations);

    public static Command Create()
    {
        var agentOptions = new AgentCliOptions(defaultAgent: Path.Combine("agents", "atlas"));
        var questions = new Option<string>("--questions") { Description = "Question JSONL from 'agentkit atlas questions'.", DefaultValueFactory = _ => Path.Combine("agents", "atlas", "questions", "test.jsonl") };
        var candidates = new Option<string>("--n") { Description = "Comma-separated candidate counts to evaluate, one pass each (e.g. 1,8).", DefaultValueFactory = _ => "1,8" };
        var teacher = new Option<bool>("--teacher") { Description = "Also run the programmatic teacher on the same questions." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N questions." };
        var trajectories = new Option<string?>("--trajectories") { Description = "Folder to record each pass's runs to (n<N>.jsonl, teacher.jsonl)." };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the tables as Markdown to this file (for a model card)." };
        var json = CommonOptions.Json();
        var command = new Command("eval", "Evaluate the atlas agent on a question split: success per family for each candidate count, parse errors, steps, time, and the teacher's success.")
            { questions, candidates, teacher, limit, trajectories, markdown, json };
        agentOptions.AddTo(command, includeCandidates: false);

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var counts = ParseCounts(pr.GetValue(candidates)!);
            var selected = ReadQuestions(pr.GetValue(questions)!, pr.GetValue(limit));
            var settings = agentOptions.Read(pr);
            var folder = pr.GetValue(trajectories);
            if (folder is not null)
                Directory.CreateDirectory(folder);
            var asJson = pr.GetValue(json);
            var progressConsole = SpectreConsoles.For(pr.InvocationConfiguration.Error);

            var configurations = new List<Configuration>();
            string model = "";
            foreach (var n in counts)
            {
                await using var host = await AgentHost.OpenAsync(settings with { Candidates = n }, ct);
                model = host.Agent.ModelPath ?? host.Agent.Definition.Model.Endpoint ?? "";
                var path = folder is null ? null : Path.Combine(folder, $"n{n}.jsonl");
                using var writer = path is null ? null : new JsonlTrajectoryWriter(path);
                var agent = host.CreateAgent(new AgentRunOptions { Sink = writer });
                var results = new List<QuestionOutcome>();
                await WithProgress(asJson, progressConsole, $"N={n}", selected.Count, async step =>
                {
                    foreach (var question in selected)
                    {
                        results.Add(await RunOneAsync(agent, question, ct));
                        step(results.Count(r => r.Correct));
                    }
                });
                configurations.Add(Summarize($"N={n}", n, results, writer?.Path));
            }

            if (pr.GetValue(teacher))
                configurations.Add(await RunTeacherAsync(settings, selected, folder, asJson, progressConsole, ct));

            var report = new EvalReport(Path.GetFullPath(pr.GetValue(questions)!), model, configurations);
            if (pr.GetValue(markdown) is { } markdownPath)
                await File.WriteAllTextAsync(markdownPath, ToMarkdown(report), ct);
            if (asJson)
                JsonOutput.Write(pr.InvocationConfiguration.Output, report);
            else
                WriteTables(SpectreConsoles.For(pr.InvocationConfiguration.Output), report);
            return CliApp.Success;
        });
        return command;
    }

    internal static IReadOnlyList<int> ParseCounts(string text)
    {
        var counts = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 64)
                throw new CliUsageException($"--n takes comma-separated candidate counts between 1 and 64, got '{text}'.");
            counts.Add(n);
        }
        return counts.Count > 0 ? counts.Distinct().ToList() : throw new CliUsageException("--n needs at least one candidate count.");
    }

    private static List<AtlasQuestion> ReadQuestions(string path, int? limit)
    {
        if (!File.Exists(path))
            throw new CliUsageException($"question file not found: {path}");
        if (limit is < 1)
            throw new CliUsageException($"--limit must be at least 1, got {limit}.");
        IReadOnlyList<AtlasQuestion> all;
        try
        {
            all = QuestionFile.Read(path);
        }
        catch (InvalidDataException ex)
        {
            throw new CliUsageException(ex.Message);
        }
        var selected = limit is { } n ? all.Take(n).ToList() : all.ToList();
        return selected.Count > 0 ? selected : throw new CliUsageException($"{path} holds no questions.");
    }

    private static async Task<QuestionOutcome> RunOneAsync(Core.Agent agent, AtlasQuestion question, CancellationToken ct)
    {
        // The runtime refuses an empty task with an error before any model call: that refusal is the honest outcome.
        if (string.IsNullOrWhiteSpace(question.Question))
            return new QuestionOutcome(question.Id, question.Family, question.Question, question.Answer, EmptyRefused, question.Family == QuestionFamilies.Bad, 0, 0, 0, 0, null);
        var result = await TaskEvaluator.RunOneAsync(agent, new TrajectoryTask(question.Id, question.Question, question.Answer), null, ct);
        var correct = result.Error is null && AtlasAnswerScorer.IsCorrect(question, result.Answer);
        return new QuestionOutcome(question.Id, question.Family, question.Question, question.Answer, result.Answer, correct, result.Steps,
            result.Seconds, result.Candidates, result.ParseErrors, result.Error);
    }

    private static async Task<Configuration> RunTeacherAsync(AgentHostSettings settings, List<AtlasQuestion> questions, string? folder, bool asJson,
        IAnsiConsole console, CancellationToken ct)
    {
        var loaded = Core.Definitions.AgentDefinitionLoader.Load(settings.AgentFolder, settings.LoadOptions);
        using var toolFactory = new AgentToolFactory();
        var tools = toolFactory.Create(loaded);
        await using var sandbox = await CodeSandbox.StartAsync(
            new SandboxOptions { PoolSize = 2, Timeout = TimeSpan.FromMilliseconds(Math.Max(settings.TimeoutMs, 20_000)), MemoryLimitMb = settings.MemoryMb },
            cancellationToken: ct);
        var path = folder is null ? null : Path.Combine(folder, "teacher.jsonl");
        using var writer = path is null ? null : new JsonlTrajectoryWriter(path);
        var started = TimeProvider.System.GetTimestamp();
        IReadOnlyList<TeachingResult> results = [];
        await WithProgress(asJson, console, "teacher", questions.Count, async _ =>
            results = await new TeachingRun(loaded.Definition, sandbox, tools).RunAsync(questions, writer, 2, null, ct));
        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds / Math.Max(1, questions.Count);
        var outcomes = results.Select(r => new QuestionOutcome(r.Question.Id, r.Question.Family, r.Question.Question, r.Question.Answer,
            r.Skipped is null ? r.Answer : EmptyRefused, r.Correct || (r.Skipped is not null && r.Question.Family == QuestionFamilies.Bad), r.Steps,
            Math.Round(seconds, 3), r.Steps, 0, r.Error)).ToList();
        return Summarize("teacher", 1, outcomes, writer?.Path);
    }

    private static Configuration Summarize(string name, int n, IReadOnlyList<QuestionOutcome> results, string? trajectories)
    {
        var families = results.GroupBy(r => r.Family).OrderBy(g => g.Key == QuestionFamilies.Bad).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new FamilySuccess(g.Key, g.Count(), g.Count(r => r.Correct), Ratio(g.Count(r => r.Correct), g.Count())))
            .ToList();
        var bad = results.Where(r => r.Family == QuestionFamilies.Bad).ToList();
        var badOutcomes = new BadOutcomes(
            bad.Count,
            bad.Count(r => r.Error is null && r.Answer != EmptyRefused && AtlasAnswerScorer.IsNotFound(r.Answer)),
            bad.Count(r => r.Answer == EmptyRefused),
            bad.Count(r => r.Error is null && r.Answer != EmptyRefused && !AtlasAnswerScorer.IsNotFound(r.Answer)),
            bad.Count(r => r.Error is not null));
        var ran = results.Where(r => r.Answer != EmptyRefused).ToList();
        var candidates = ran.Sum(r => r.Candidates);
        return new Configuration(name, n, results.Count, Ratio(results.Count(r => r.Correct), results.Count), families,
            candidates == 0 ? 0 : Ratio(ran.Sum(r => r.ParseErrors), candidates),
            ran.Count == 0 ? 0 : Math.Round(ran.Average(r => r.Steps), 2),
            ran.Count == 0 ? 0 : Math.Round(ran.Average(r => r.Seconds), 2),
            badOutcomes, trajectories, results);
    }

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);

    private static async Task WithProgress(bool quiet, IAnsiConsole console, string label, int total, Func<Action<int>, Task> work)
    {
        if (quiet)
        {
            await work(_ => { });
            return;
        }
        await console.Progress().StartAsync(async ctx =>
        {
            var bar = ctx.AddTask(label, maxValue: total);
            await work(correct =>
            {
                bar.Increment(1);
                bar.Description = $"{label} ({correct} correct)";
            });
            bar.Value = total;
        });
    }

    private static void WriteTables(IAnsiConsole console, EvalReport report)
    {
        var rows = TableRows(report);
        var table = new Table().AddColumn("metric");
        foreach (var c in report.Configurations)
            table.AddColumn(new TableColumn(c.Name).RightAligned());
        foreach (var (metric, values) in rows)
            table.AddRow([Markup.Escape(metric), .. values.Select(Markup.Escape)]);
        console.Write(table);
        foreach (var c in report.Configurations.Where(c => c.Trajectories is not null))
            console.WriteLine($"{c.Name} trajectories: {c.Trajectories}");
    }

    /// <summary>The report as metric rows with one value per configuration (shared by the console and Markdown tables).</summary>
    internal static List<(string Metric, List<string> Values)> TableRows(EvalReport report)
    {
        var configurations = report.Configurations;
        string Percent(double v) => (v * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
        var rows = new List<(string, List<string>)>
        {
            ("success", configurations.Select(c => $"{Percent(c.Success)} ({c.Families.Sum(f => f.Correct)}/{c.Questions})").ToList()),
        };
        foreach (var family in configurations.SelectMany(c => c.Families.Select(f => f.Family)).Distinct())
        {
            rows.Add(($"  {family}", configurations.Select(c => c.Families.FirstOrDefault(f => f.Family == family) is { } f
                ? $"{Percent(f.Success)} ({f.Correct}/{f.Questions})" : "-").ToList()));
        }
        rows.Add(("parse errors per sampled action", configurations.Select(c => c.Name == "teacher" ? "-" : Percent(c.ParseErrorRate)).ToList()));
        rows.Add(("mean steps", configurations.Select(c => c.MeanSteps.ToString("F2", CultureInfo.InvariantCulture)).ToList()));
        rows.Add(("seconds per task", configurations.Select(c => c.SecondsPerTask.ToString("F2", CultureInfo.InvariantCulture)).ToList()));
        rows.Add(("bad questions: not found / refused / invented / error", configurations
            .Select(c => $"{c.Bad.NotFound} / {c.Bad.Refused} / {c.Bad.Invented} / {c.Bad.Errors}").ToList()));
        return rows;
    }

    internal static string ToMarkdown(EvalReport report)
    {
        var sb = new StringBuilder();
        sb.Append("| metric | ").AppendJoin(" | ", report.Configurations.Select(c => c.Name)).Append(" |\n");
        sb.Append("|---|").AppendJoin("", report.Configurations.Select(_ => "---|")).Append('\n');
        foreach (var (metric, values) in TableRows(report))
            sb.Append("| ").Append(metric.Trim()).Append(" | ").AppendJoin(" | ", values).Append(" |\n");
        return sb.ToString();
    }
}
