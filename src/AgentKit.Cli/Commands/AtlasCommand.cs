// agentkit atlas build-corpus --out agents/atlas
// agentkit atlas questions --out agents/atlas/questions [--seed 7]
// agentkit atlas teach --questions agents/atlas/questions/test.jsonl --out traj.jsonl
using System.CommandLine;
using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Data;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Teacher;
using AgentKit.Cli.Hosting;
using AgentKit.Core.Definitions;
using AgentKit.Core.Trajectories;
using AgentKit.Sandbox;
using Spectre.Console;
using AgentKit.Hosting;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit atlas</c>: the data side of the default agent. <c>build-corpus</c> writes the country corpus,
/// <c>questions</c> the question set with its train/test split, <c>teach</c> runs the programmatic teacher
/// through the real runtime, sandbox and Search index and records its trajectories.
/// </summary>
internal static class AtlasCommand
{
    private const string DefaultSource = "agents/atlas/data/source";
    private const string DefaultAgent = "agents/atlas";

    private sealed record CorpusReport(string Out, int Passages, int Countries, int Capitals, int Cities, long SizeBytes);

    private sealed record QuestionCount(string Family, string Split, int Questions, int HeldOutPhrasings);

    private sealed record QuestionsReport(string Out, int Seed, int Total, int TestCountries, int TrainCountries, IReadOnlyList<QuestionCount> Counts);

    private sealed record FamilyScore(string Family, string Split, int Questions, int Correct, double Success, double MeanSteps, int Skipped);

    private sealed record TeachReport(string Out, int Questions, int Correct, double Success, double Seconds, IReadOnlyList<FamilyScore> Families, IReadOnlyList<string> Failures);

    public static Command Create()
    {
        var command = new Command("atlas", "Build the atlas agent's corpus and questions, and record its teacher's trajectories.");
        command.Subcommands.Add(BuildCorpus());
        command.Subcommands.Add(Questions());
        command.Subcommands.Add(Teach());
        command.Subcommands.Add(AtlasEvalCommand.Create());
        command.Subcommands.Add(AtlasSynthesizeCommand.Create());
        return command;
    }

    private static Option<string> SourceOption() => new("--source") { Description = "Folder of the country-json source files.", DefaultValueFactory = _ => DefaultSource };

    private static Option<int> MaxCitiesOption() => new("--max-cities") { Description = "Cities per country with a passage of their own (corpus and questions must agree).", DefaultValueFactory = _ => new AtlasCorpusOptions().MaxCitiesPerCountry };

    private static AtlasData LoadSource(string folder) =>
        Directory.Exists(folder) ? AtlasSourceLoader.Load(folder) : throw new CliUsageException($"source folder not found: {folder} (run from the repository root or pass --source).");

    private static Command BuildCorpus()
    {
        var output = new Option<string>("--out") { Description = "Folder to write corpus.jsonl to.", Required = true };
        var source = SourceOption();
        var maxCities = MaxCitiesOption();
        var json = CommonOptions.Json();
        var command = new Command("build-corpus", "Write the atlas corpus (corpus.jsonl: one passage per country, capital and chosen city).") { output, source, maxCities, json };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var options = Validated(() => new AtlasCorpusBuilder(new AtlasCorpusOptions { MaxCitiesPerCountry = pr.GetValue(maxCities) }));
            var data = LoadSource(pr.GetValue(source)!);
            var passages = options.Build(data);
            var folder = pr.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "corpus.jsonl");
            AtlasCorpusBuilder.WriteJsonl(passages, path);

            int Count(string prefix) => passages.Count(p => p.Id.StartsWith(prefix, StringComparison.Ordinal));
            var report = new CorpusReport(Path.GetFullPath(path), passages.Count, Count("country/"), Count("capital/"), Count("city/"), new FileInfo(path).Length);
            if (pr.GetValue(json))
                JsonOutput.Write(pr.InvocationConfiguration.Output, report);
            else
                SpectreConsoles.For(pr.InvocationConfiguration.Output).Write(new Table()
                    .AddColumns("passages", "countries", "capitals", "cities", "size", "out")
                    .AddRow(report.Passages.ToString("N0"), report.Countries.ToString("N0"), report.Capitals.ToString("N0"), report.Cities.ToString("N0"),
                        $"{report.SizeBytes / 1024.0:F0} KiB", Markup.Escape(report.Out)));
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static Command Questions()
    {
        var output = new Option<string>("--out") { Description = "Folder to write questions.jsonl, train.jsonl and test.jsonl to.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of all random choices, including the held-out countries.", DefaultValueFactory = _ => 7 };
        var train = new Option<int>("--train-per-family") { Description = "Training questions per family.", DefaultValueFactory = _ => 400 };
        var test = new Option<int>("--test-per-family") { Description = "Test questions per family.", DefaultValueFactory = _ => 40 };
        var badTrain = new Option<int>("--bad-train") { Description = "Unanswerable training questions (answer \"not found\").", DefaultValueFactory = _ => 40 };
        var source = SourceOption();
        var maxCities = MaxCitiesOption();
        var json = CommonOptions.Json();
        var command = new Command("questions", "Generate atlas questions with gold answers and a train/test split held out by country and by phrasing.")
            { output, seed, train, test, badTrain, source, maxCities, json };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var generator = Validated(() => new AtlasQuestionGenerator(new QuestionGeneratorOptions
            {
                Seed = pr.GetValue(seed),
                TrainPerFamily = pr.GetValue(train),
                TestPerFamily = pr.GetValue(test),
                BadTrain = pr.GetValue(badTrain),
                MaxCitiesPerCountry = pr.GetValue(maxCities),
            }));
            var data = LoadSource(pr.GetValue(source)!);
            var questions = generator.Generate(data);
            var folder = pr.GetValue(output)!;
            Directory.CreateDirectory(folder);
            QuestionFile.Write(questions, Path.Combine(folder, "questions.jsonl"));
            QuestionFile.Write(questions.Where(q => q.Split == QuestionSplits.Train), Path.Combine(folder, "train.jsonl"));
            QuestionFile.Write(questions.Where(q => q.Split == QuestionSplits.Test), Path.Combine(folder, "test.jsonl"));

            var templates = generator.Templates;
            var counts = questions.GroupBy(q => (q.Family, q.Split))
                .Select(g => new QuestionCount(g.Key.Family, g.Key.Split, g.Count(),
                    templates.TryGetValue(g.Key.Family, out var t) ? g.Select(q => q.Template).Distinct().Count(id => t.Any(x => x.Id == id && x.HeldOut)) : 0))
                .ToList();
            var entities = questions.SelectMany(q => q.Entities.Select(e => (e, q.Split))).Distinct().ToList();
            var report = new QuestionsReport(Path.GetFullPath(folder), pr.GetValue(seed), questions.Count,
                entities.Count(e => e.Split == QuestionSplits.Test), entities.Count(e => e.Split == QuestionSplits.Train), counts);
            if (pr.GetValue(json))
            {
                JsonOutput.Write(pr.InvocationConfiguration.Output, report);
            }
            else
            {
                var table = new Table().AddColumns("family", "split", "questions", "held-out phrasings used");
                foreach (var c in counts)
                    table.AddRow(c.Family, c.Split, c.Questions.ToString("N0"), c.HeldOutPhrasings.ToString());
                var console = SpectreConsoles.For(pr.InvocationConfiguration.Output);
                console.Write(table);
                console.WriteLine($"{report.Total:N0} questions; countries: {report.TrainCountries} train, {report.TestCountries} test; written to {report.Out}");
            }
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static Command Teach()
    {
        var questionsOption = new Option<string>("--questions") { Description = "Question JSONL written by 'agentkit atlas questions'.", Required = true };
        var output = new Option<string>("--out") { Description = "New JSONL file for the teacher's trajectories.", Required = true };
        var agentOption = new Option<string>("--agent") { Description = "The atlas agent folder (its definition and Search settings are used).", DefaultValueFactory = _ => DefaultAgent };
        var split = new Option<string?>("--split") { Description = "Only questions of this split (train or test)." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N questions." };
        var parallel = new Option<int>("--parallel") { Description = "Questions run at once (one sandbox worker each).", DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount) };
        var timeout = CommonOptions.TimeoutMs();
        var json = CommonOptions.Json();
        var command = new Command("teach", "Run the programmatic teacher through the real runtime, sandbox and index; record its trajectories and score them.")
            { questionsOption, output, agentOption, split, limit, parallel, timeout, json };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var outPath = pr.GetValue(output)!;
            if (File.Exists(outPath) && new FileInfo(outPath).Length > 0)
                throw new CliUsageException($"{outPath} already exists; choose a new file (teach never appends to or overwrites recorded trajectories).");
            if (pr.GetValue(parallel) is < 1 or > 64)
                throw new CliUsageException($"--parallel must be between 1 and 64, got {pr.GetValue(parallel)}.");
            if (pr.GetValue(timeout) is < 100 or > 600_000)
                throw new CliUsageException($"--timeout-ms must be between 100 and 600000, got {pr.GetValue(timeout)}.");
            if (pr.GetValue(split) is { } s && s is not (QuestionSplits.Train or QuestionSplits.Test))
                throw new CliUsageException($"--split must be '{QuestionSplits.Train}' or '{QuestionSplits.Test}', got '{s}'.");
            if (!File.Exists(pr.GetValue(questionsOption)))
                throw new CliUsageException($"question file not found: {pr.GetValue(questionsOption)}");

            IEnumerable<AtlasQuestion> selected = QuestionFile.Read(pr.GetValue(questionsOption)!);
            if (pr.GetValue(split) is { } only)
                selected = selected.Where(q => q.Split == only);
            if (pr.GetValue(limit) is { } n)
                selected = selected.Take(n);
            var questions = selected.ToList();
            if (questions.Count == 0)
                throw new CliUsageException("no questions selected.");

            var agent = AgentDefinitionLoader.Load(pr.GetValue(agentOption)!);
            using var toolFactory = new AgentToolFactory();
            var tools = toolFactory.Create(agent);
            await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = pr.GetValue(parallel), Timeout = TimeSpan.FromMilliseconds(pr.GetValue(timeout)) }, cancellationToken: ct);
            using var writer = new JsonlTrajectoryWriter(outPath);
            var run = new TeachingRun(agent.Definition, sandbox, tools);

            var started = TimeProvider.System.GetTimestamp();
            IReadOnlyList<TeachingResult> results;
            if (pr.GetValue(json))
            {
                results = await run.RunAsync(questions, writer, pr.GetValue(parallel), null, ct);
            }
            else
            {
                results = await SpectreConsoles.For(pr.InvocationConfiguration.Error).Progress().StartAsync(async ctx =>
                {
                    var bar = ctx.AddTask("Teaching", maxValue: questions.Count);
                    var correct = 0;
                    var progress = new SyncProgress<TeachingResult>(r =>
                    {
                        if (r.Correct) Interlocked.Increment(ref correct);
                        bar.Increment(1);
                        bar.Description = $"Teaching ({Volatile.Read(ref correct)} correct)";
                    });
                    return await run.RunAsync(questions, writer, pr.GetValue(parallel), progress, ct);
                });
            }

            var report = Summarize(results, writer.Path, TimeProvider.System.GetElapsedTime(started).TotalSeconds);
            if (pr.GetValue(json))
                JsonOutput.Write(pr.InvocationConfiguration.Output, report);
            else
                WriteTeachReport(SpectreConsoles.For(pr.InvocationConfiguration.Output), report);
            return CliApp.Success;
        });
        return command;
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

    private static void WriteTeachReport(IAnsiConsole console, TeachReport report)
    {
        var table = new Table().AddColumns("family", "split", "questions", "correct", "success", "mean steps", "skipped");
        foreach (var f in report.Families)
            table.AddRow(f.Family, f.Split, f.Questions.ToString("N0"), f.Correct.ToString("N0"), $"{f.Success:P1}", f.MeanSteps.ToString("F2"), f.Skipped.ToString());
        table.AddRow("[bold]all[/]", "", report.Questions.ToString("N0"), report.Correct.ToString("N0"), $"[bold]{report.Success:P1}[/]", "", "");
        console.Write(table);
        foreach (var failure in report.Failures.Take(20))
            console.MarkupLine($"[red]failed[/] {Markup.Escape(failure)}");
        console.WriteLine($"{report.Questions:N0} runs in {report.Seconds:F1} s; trajectories in {report.Out}");
    }

    /// <summary>Turns an options validation error into a usage error (exit 2).</summary>
    private static T Validated<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(ex.Message);
        }
    }

    /// <summary>Reports synchronously on the reporting thread (Progress&lt;T&gt; would post to the thread pool and lag).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        private readonly object _gate = new();

        public void Report(T value)
        {
            lock (_gate) report(value);
        }
    }
}
