// agentkit atlas build-corpus --out agents/atlas
// agentkit atlas questions --out agents/atlas/questions [--seed 7] [--rephrased-per-family 100]
// agentkit atlas teach --questions agents/atlas/questions/test.jsonl --out traj.jsonl
using System.CommandLine;
using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Data;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Teacher;
using Spectre.Console;

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

    public static Command Create()
    {
        var command = new Command("atlas", "Build the atlas agent's corpus and questions, and record its teacher's trajectories.");
        command.Subcommands.Add(BuildCorpus());
        command.Subcommands.Add(Questions());
        command.Subcommands.Add(Teach());
        command.Subcommands.Add(AtlasEvalCommand.Create());
        command.Subcommands.Add(AtlasSynthesizeCommand.Create());
        command.Subcommands.Add(AtlasRlSetCommand.Create());
        command.Subcommands.Add(AtlasCascadeCommand.Create());
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
            var builder = CliUsageException.Check(() => new AtlasCorpusBuilder(new AtlasCorpusOptions { MaxCitiesPerCountry = pr.GetValue(maxCities) }));
            var report = AtlasCorpusFile.Write(builder, LoadSource(pr.GetValue(source)!), pr.GetValue(output)!);
            CliOutput.Write(pr, pr.GetValue(json), report, console => console.Write(new Table()
                    .AddColumns("passages", "countries", "capitals", "cities", "size", "out")
                    .AddRow(report.Passages.ToString("N0"), report.Countries.ToString("N0"), report.Capitals.ToString("N0"), report.Cities.ToString("N0"),
                        $"{report.SizeBytes / 1024.0:F0} KiB", Markup.Escape(report.Out))));
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static Command Questions()
    {
        var output = new Option<string>("--out") { Description = "Folder to write questions.jsonl, train.jsonl, test.jsonl and rephrased.jsonl to.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of all random choices, including the held-out countries.", DefaultValueFactory = _ => 7 };
        var train = new Option<int>("--train-per-family") { Description = "Training questions per family.", DefaultValueFactory = _ => 400 };
        var test = new Option<int>("--test-per-family") { Description = "Test questions per family.", DefaultValueFactory = _ => 40 };
        var badTrain = new Option<int>("--bad-train") { Description = "Unanswerable training questions (answer \"not found\").", DefaultValueFactory = _ => 40 };
        var rephrased = new Option<int>("--rephrased-per-family")
        {
            Description = "Questions per family in rephrased.jsonl: training countries worded neither as in train.jsonl nor as in test.jsonl, for RL (0: no file).",
            DefaultValueFactory = _ => 100,
        };
        var source = SourceOption();
        var maxCities = MaxCitiesOption();
        var json = CommonOptions.Json();
        var command = new Command("questions", "Generate atlas questions with gold answers and a train/test split held out by country and by phrasing.")
            { output, seed, train, test, badTrain, rephrased, source, maxCities, json };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var generator = CliUsageException.Check(() => new AtlasQuestionGenerator(new QuestionGeneratorOptions
            {
                Seed = pr.GetValue(seed), TrainPerFamily = pr.GetValue(train), TestPerFamily = pr.GetValue(test), BadTrain = pr.GetValue(badTrain),
                RephrasedPerFamily = pr.GetValue(rephrased), MaxCitiesPerCountry = pr.GetValue(maxCities),
            }), QuestionFlags);
            var report = QuestionSetFiles.Write(generator, pr.GetValue(seed), LoadSource(pr.GetValue(source)!), pr.GetValue(output)!);
            CliOutput.Write(pr, pr.GetValue(json), report, console =>
            {
                var table = new Table().AddColumns("family", "split", "questions", "held-out phrasings used");
                foreach (var c in report.Counts)
                    table.AddRow(c.Family, c.Split, c.Questions.ToString("N0"), c.HeldOutPhrasings.ToString());
                foreach (var c in report.Rephrased)
                    table.AddRow(c.Family, "rephrased", c.Questions.ToString("N0"), "-");
                console.Write(table);
                console.WriteLine($"{report.Total:N0} questions (+ {report.Rephrased.Sum(c => c.Questions):N0} rephrased); countries: {report.TrainCountries} train, {report.TestCountries} test; written to {report.Out}");
            });
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    // The options name their settings; the user typed flags.
    private static string QuestionFlags(string message) => message
        .Replace("TrainPerFamily", "--train-per-family", StringComparison.Ordinal).Replace("TestPerFamily", "--test-per-family", StringComparison.Ordinal)
        .Replace("RephrasedPerFamily", "--rephrased-per-family", StringComparison.Ordinal).Replace("BadTrain", "--bad-train", StringComparison.Ordinal)
        .Replace("MaxCitiesPerCountry", "--max-cities", StringComparison.Ordinal);

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
            var options = new TeachOptions { AgentFolder = pr.GetValue(agentOption)!, Out = pr.GetValue(output)!, Parallel = pr.GetValue(parallel), TimeoutMs = pr.GetValue(timeout) };
            if (File.Exists(options.Out) && new FileInfo(options.Out).Length > 0)
                throw new CliUsageException($"{options.Out} already exists; choose a new file (teach never appends to or overwrites recorded trajectories).");
            if (options.Parallel is < 1 or > 64)
                throw new CliUsageException($"--parallel must be between 1 and 64, got {options.Parallel}.");
            if (options.TimeoutMs is < 100 or > 600_000)
                throw new CliUsageException($"--timeout-ms must be between 100 and 600000, got {options.TimeoutMs}.");
            if (pr.GetValue(split) is { } s && s is not (QuestionSplits.Train or QuestionSplits.Test))
                throw new CliUsageException($"--split must be '{QuestionSplits.Train}' or '{QuestionSplits.Test}', got '{s}'.");
            var questions = CliUsageException.Check(() => QuestionFile.Select(pr.GetValue(questionsOption)!, pr.GetValue(split), pr.GetValue(limit)));

            var report = pr.GetValue(json)
                ? await AtlasTeaching.RunAsync(questions, options, cancellationToken: ct)
                : await SpectreConsoles.For(pr.InvocationConfiguration.Error).Progress().StartAsync(ctx =>
                {
                    var bar = ctx.AddTask("Teaching", maxValue: questions.Count);
                    var correct = 0;
                    return AtlasTeaching.RunAsync(questions, options, new SyncProgress<TeachingResult>(r =>
                    {
                        if (r.Correct) correct++;
                        bar.Increment(1);
                        bar.Description = $"Teaching ({correct} correct)";
                    }), cancellationToken: ct);
                });
            CliOutput.Write(pr, pr.GetValue(json), report, console => WriteTeachReport(console, report));
            return CliApp.Success;
        });
        return command;
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
}
