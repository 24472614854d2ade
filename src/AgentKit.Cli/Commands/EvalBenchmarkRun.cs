using System.CommandLine;
using AgentKit.Core.Scoring.Benchmarks;
using AgentKit.Hosting;
using AgentKit.Hosting.Evaluation;
using AgentKit.Models.OpenAICompatible;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>The flags of <c>agentkit eval --benchmark</c> that <c>eval --tasks</c> does not use.</summary>
internal sealed class EvalBenchmarkOptions
{
    public Option<string[]> Benchmark { get; } = new("--benchmark")
    {
        Description = "Benchmark file in the paper's JSON shape {\"metadata\":…, \"examples\":[…]}; repeat for several sets. Scored per set: exact match and F1 (QA) or math equivalence.",
    };

    public Option<string?> Mode { get; } = new("--mode") { Description = "agent (default: the agent with its tools) or cot (chain of thought, no tools). With --benchmark." };
    public Option<string?> Kind { get; } = new("--kind") { Description = "Score every --benchmark set as qa or math instead of by its name." };
    public Option<string?> JudgeEndpoint { get; } = new("--judge-endpoint") { Description = "OpenAI-compatible endpoint of an LLM judge (with --judge-model); its verdicts and prompts go into the results." };
    public Option<string?> JudgeModel { get; } = new("--judge-model") { Description = "The judge's model name at --judge-endpoint." };
    public Option<string?> Out { get; } = new("--out") { Description = "Write the benchmark results (per set, per N, per question) to this JSON file." };
    public Option<string?> Plot { get; } = new("--plot") { Description = "Draw a bar chart of accuracy per set and N to this PNG file." };
    public Option<bool> FirstThought { get; } = new("--first-thought") { Description = "Agent mode: force the model's own first chain-of-thought paragraph as the start of each run (the paper's first-thought prefix)." };

    public IEnumerable<Option> All => [Benchmark, Mode, Kind, JudgeEndpoint, JudgeModel, Out, Plot, FirstThought];

    /// <summary>The flags given that only apply with --benchmark.</summary>
    public IEnumerable<string> BenchmarkOnlyFlagsGiven(ParseResult pr) =>
        new (Option Option, bool Given)[]
        {
            (Mode, pr.GetValue(Mode) is not null), (Kind, pr.GetValue(Kind) is not null), (JudgeEndpoint, pr.GetValue(JudgeEndpoint) is not null),
            (JudgeModel, pr.GetValue(JudgeModel) is not null), (Out, pr.GetValue(Out) is not null), (Plot, pr.GetValue(Plot) is not null),
            (FirstThought, pr.GetValue(FirstThought)),
        }.Where(x => x.Given).Select(x => x.Option.Name);
}

/// <summary>
/// <c>agentkit eval --benchmark FILE…</c>: reads the sets (<see cref="BenchmarkFile"/>), binds the flags to
/// <see cref="BenchmarkEvaluation.RunAsync"/>, prints the per-set table and the average per N, and writes the results
/// file and the plot when asked.
/// </summary>
internal static class EvalBenchmarkRun
{
    public static async Task<int> RunAsync(ParseResult pr, EvalBenchmarkOptions flags, AgentHostSettings settings, IReadOnlyList<int> counts,
        int? limit, bool asJson, CancellationToken ct)
    {
        var mode = (pr.GetValue(flags.Mode) ?? "agent").Trim().ToLowerInvariant() switch
        {
            "agent" => BenchmarkMode.Agent,
            "cot" => BenchmarkMode.Cot,
            var other => throw new CliUsageException($"--mode takes agent or cot, got '{other}'."),
        };
        BenchmarkKind? kind = null;
        if (pr.GetValue(flags.Kind) is { } kindText)
            kind = BenchmarkKinds.TryParse(kindText, out var parsed) ? parsed : throw new CliUsageException($"--kind takes qa or math, got '{kindText}'.");
        var options = CliUsageException.Check(() => new BenchmarkEvalOptions { Mode = mode, CandidateCounts = counts, Limit = limit, FirstThought = pr.GetValue(flags.FirstThought) }.Validate(),
            message => message.Replace("the question limit", "--limit").Replace("candidate count", "--n count").Replace("the first-thought prefix", "--first-thought"));
        if (pr.GetValue(flags.Plot) is { } plotPath && !plotPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new CliUsageException($"--plot writes a PNG file; give a name ending in .png, got '{plotPath}'.");
        using var judgeGenerator = OpenJudge(pr, flags);
        var judge = judgeGenerator is null ? null : new LlmJudge(judgeGenerator);
        var sets = pr.GetValue(flags.Benchmark)!.Select(path => ReadSet(path, kind, pr.InvocationConfiguration.Error)).ToList();

        var total = options.CandidateCounts.Count * sets.Sum(s => limit is { } l ? Math.Min(l, s.Tasks.Count) : s.Tasks.Count);
        var report = asJson
            ? await BenchmarkEvaluation.RunAsync(settings, sets, options, judge, null, ct)
            : await SpectreConsoles.For(pr.InvocationConfiguration.Error).Progress().StartAsync(ctx =>
            {
                var bar = ctx.AddTask("Benchmark", maxValue: total);
                return BenchmarkEvaluation.RunAsync(settings, sets, options, judge, new SyncProgress<BenchmarkProgress>(p =>
                {
                    bar.Increment(1);
                    bar.Description = SpectreConsoles.SafeMarkup($"{p.Set} N={p.N} ({p.Done}/{p.Total}, {p.Correct} correct)");
                }), ct);
            });
        if (pr.GetValue(flags.Out) is { } outPath)
            BenchmarkReportFile.Save(report, outPath);
        if (pr.GetValue(flags.Plot) is { } plot)
            BenchmarkPlot.Draw(report, plot);
        CliOutput.Write(pr, asJson, report, console => WriteTables(console, report, pr.GetValue(flags.Out), pr.GetValue(flags.Plot)));
        return CliApp.Success;
    }

    private static OpenAICompatibleGenerator? OpenJudge(ParseResult pr, EvalBenchmarkOptions flags)
    {
        var endpoint = pr.GetValue(flags.JudgeEndpoint);
        var model = pr.GetValue(flags.JudgeModel);
        if (endpoint is null && model is null)
            return null;
        if (endpoint is null || string.IsNullOrWhiteSpace(model))
            throw new CliUsageException("--judge-endpoint and --judge-model go together: give both for an LLM judge, or neither.");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new CliUsageException($"--judge-endpoint must be an http(s) URL, got '{endpoint}'.");
        return AgentHost.OpenEndpoint(endpoint, model);
    }

    private static BenchmarkSet ReadSet(string path, BenchmarkKind? kind, TextWriter stderr)
    {
        if (!File.Exists(path))
            throw new CliUsageException($"benchmark file not found: {path}");
        var set = BenchmarkFile.Read(path, kind);
        if (set.Skipped.Count > 0)
            stderr.WriteLine($"warning: {Core.Display.TerminalText.Escape($"{set.SourceName}: {set.Skipped.Count} example(s) skipped (first: example {set.Skipped[0].Line}, {set.Skipped[0].Reason}); {set.Tasks.Count} question(s) read.")}");
        return set;
    }

    private static void WriteTables(IAnsiConsole console, BenchmarkReport report, string? outPath, string? plotPath)
    {
        var judged = report.Judge is not null;
        var table = new Table().AddColumns("set", "kind", "n", "questions", "accuracy", "F1");
        if (judged)
            table.AddColumn("judge");
        table.AddColumns("errors", "s / question");
        foreach (var s in report.Sets)
        {
            var row = new List<string> { SpectreConsoles.SafeMarkup(s.Name), s.Kind == BenchmarkKind.Math ? "math" : "qa", s.N.ToString(), s.Questions.ToString(),
                $"{s.Accuracy:P1}", s.F1 is { } f1 ? $"{f1:P1}" : "-" };
            if (judged)
                row.Add(s.JudgeAccuracy is { } j ? $"{j:P1}" + (s.JudgeUnparseable > 0 ? $" ({s.JudgeUnparseable} unparseable)" : "") : "-");
            row.AddRange([s.Errors.ToString(), s.SecondsPerQuestion.ToString("F2")]);
            table.AddRow(row.ToArray());
        }
        foreach (var a in report.Averages)
        {
            var row = new List<string> { "average", "", a.N.ToString(), $"{a.Sets} set(s)", $"{a.Accuracy:P1}", "" };
            if (judged)
                row.Add(a.JudgeAccuracy is { } j ? $"{j:P1}" : "-");
            row.AddRange(["", ""]);
            table.AddRow(row.ToArray());
        }
        console.Write(table);
        console.WriteLine($"mode: {(report.Mode == BenchmarkMode.Agent ? "agent" : "cot")}, model: {report.Model}" + (judged ? $", judge: {report.Judge!.Model}" : ""));
        if (outPath is not null)
            console.WriteLine($"results: {outPath}");
        if (plotPath is not null)
            console.WriteLine($"plot: {plotPath}");
    }
}
