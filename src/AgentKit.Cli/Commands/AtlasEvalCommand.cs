// agentkit atlas eval [--questions agents/atlas/questions/test.jsonl] [--n 1,8] [--seeds 1,2,3] [--teacher] [--markdown FILE] [--json]
using System.CommandLine;
using System.Globalization;
using AgentKit.Atlas.Evaluation;
using AgentKit.Atlas.Questions;
using AgentKit.Cli.Hosting;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit atlas eval</c>: binds the flags to <see cref="AtlasEvaluation.RunAsync"/> (success per family for each
/// candidate count, parse errors, steps, time, and optionally the teacher's success) and renders its table.
/// </summary>
internal static class AtlasEvalCommand
{
    public static Command Create()
    {
        var cascadeOptions = new CascadeCliOptions();
        var agentOptions = new AgentCliOptions(defaultAgent: Path.Combine("agents", "atlas"));
        var questions = new Option<string>("--questions") { Description = "Question JSONL from 'agentkit atlas questions'.", DefaultValueFactory = _ => Path.Combine("agents", "atlas", "questions", "test.jsonl") };
        var candidates = new Option<string>("--n") { Description = "Comma-separated candidate counts to evaluate, one pass each (e.g. 1,8).", DefaultValueFactory = _ => "1,8" };
        var seeds = new Option<string?>("--seeds")
        {
            Description = "Comma-separated sampling seeds, one pass per candidate count and seed; adds each count's mean and spread (instead of --seed).",
        };
        var teacher = new Option<bool>("--teacher") { Description = "Also run the programmatic teacher on the same questions." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N questions." };
        var trajectories = new Option<string?>("--trajectories") { Description = "Folder to record each pass's runs to (n<N>.jsonl, n<N>-seed<S>.jsonl with --seeds, teacher.jsonl)." };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the tables as Markdown to this file (for a model card)." };
        var json = CommonOptions.Json();
        var command = new Command("eval", "Evaluate the atlas agent on a question split: success per family for each candidate count, parse errors, steps, time, and the teacher's success.")
            { questions, candidates, seeds, teacher, limit, trajectories, markdown, json };
        agentOptions.AddTo(command, includeCandidates: false);
        cascadeOptions.AddTo(command);

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var counts = ParseCounts(pr.GetValue(candidates)!);
            var seedList = pr.GetValue(seeds) is { } seedText ? ParseSeeds(seedText) : null;
            if (seedList is not null && pr.GetValue(agentOptions.Seed) is not null)
                throw new CliUsageException("--seeds and --seed both set the sampling seed: give one.");
            var selected = ReadQuestions(pr.GetValue(questions)!, pr.GetValue(limit));
            var settings = cascadeOptions.Apply(pr, agentOptions.Read(pr));
            var options = new AtlasEvalOptions { Candidates = counts, Seeds = seedList, Teacher = pr.GetValue(teacher), TrajectoryFolder = pr.GetValue(trajectories) };
            var report = pr.GetValue(json)
                ? await AtlasEvaluation.RunAsync(settings, pr.GetValue(questions)!, selected, options, null, ct)
                : await SpectreConsoles.For(pr.InvocationConfiguration.Error).Progress().StartAsync(ctx =>
                {
                    var bars = new Dictionary<string, ProgressTask>();
                    return AtlasEvaluation.RunAsync(settings, pr.GetValue(questions)!, selected, options, new SyncProgress<AtlasEvalProgress>(p =>
                    {
                        if (!bars.TryGetValue(p.Pass, out var bar))
                            bars[p.Pass] = bar = ctx.AddTask(p.Pass, maxValue: p.Total);
                        bar.Value = p.Done;
                        bar.Description = p.Done == 0 ? p.Pass : $"{p.Pass} ({p.Correct} correct)";
                    }), ct);
                });
            if (pr.GetValue(markdown) is { } markdownPath)
                await File.WriteAllTextAsync(markdownPath, report.ToMarkdown(), ct);
            CliOutput.Write(pr, pr.GetValue(json), report, console => WriteTables(console, report));
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

    internal static IReadOnlyList<int> ParseSeeds(string text)
    {
        var seeds = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seed))
                throw new CliUsageException($"--seeds takes comma-separated integers, got '{text}'.");
            if (seeds.Contains(seed))
                throw new CliUsageException($"--seeds repeats {seed}: each seed is one pass.");
            seeds.Add(seed);
        }
        return seeds.Count > 0 ? seeds : throw new CliUsageException("--seeds needs at least one seed.");
    }

    private static IReadOnlyList<AtlasQuestion> ReadQuestions(string path, int? limit)
    {
        if (limit is < 1)
            throw new CliUsageException($"--limit must be at least 1, got {limit}.");
        try
        {
            return QuestionFile.Select(path, limit: limit);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidDataException)
        {
            throw new CliUsageException(ex.Message);
        }
    }

    private static void WriteTables(IAnsiConsole console, AtlasEvalReport report)
    {
        var rows = report.TableRows();
        var table = new Table().AddColumn("metric");
        foreach (var c in report.Configurations)
            table.AddColumn(new TableColumn(c.Name).RightAligned());
        foreach (var (metric, values) in rows)
            table.AddRow([Markup.Escape(metric), .. values.Select(Markup.Escape)]);
        console.Write(table);
        foreach (var line in report.SpreadLines())
            console.WriteLine(line);
        foreach (var c in report.Configurations.Where(c => c.Trajectories is not null))
            console.WriteLine($"{c.Name} trajectories: {c.Trajectories}");
    }
}
