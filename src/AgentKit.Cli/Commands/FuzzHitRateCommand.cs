// agentkit fuzz hit-rate --questions held.jsonl --target ID@VER|paths --harness NAME (--lm MODEL | --lm-endpoint URL --lm-model NAME | --seed-answer) [--k 4] [--findings DIR] …
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using AgentKit.Fuzzing.Guidance;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit fuzz hit-rate</c>: how often a model's answers to frontier questions take the question's branch
/// (<see cref="FrontierHitRate"/>), or, with <c>--seed-answer</c>, how often the questions' own seeds do (the floor).
/// The target flags are those of <c>train grpo --reward fuzz-distance</c>, the model flags those of <c>fuzz --lm</c>.
/// </summary>
internal static class FuzzHitRateCommand
{
    /// <summary>What the command reports (per-question rows go to <c>--out</c>).</summary>
    internal sealed record Summary(string Model, int Questions, int Completions, int Hits, double HitRate, double HitAtK, int K, double MeanReward,
        int Unusable, int Errors, int Findings, string? FindingsDirectory, double ModelSeconds, double Seconds, string? Out);

    private static readonly JsonSerializerOptions RowJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var target = new GrpoFuzzDistanceFlags("");
        var lm = new FuzzLmOptions();
        var seedAnswer = new Option<bool>("--seed-answer") { Description = "No model: answer each question with its own seed input (the hit rate a model must beat)." };
        var k = new Option<int>("--k") { Description = "Completions per question (1-64).", DefaultValueFactory = _ => 4 };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature (0 = greedy).", DefaultValueFactory = _ => 0.8f };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens per completion.", DefaultValueFactory = _ => 256 };
        var seed = new Option<int?>("--seed") { Description = "Sampling seed (question i uses seed + i)." };
        var output = new Option<string?>("--out") { Description = "Write one JSON row per question (target_id, method, completions, hits, best_reward, unusable, error, best_answer: the input written closest to the branch)." };
        var findings = new Option<string?>("--findings")
        {
            Description = "Folder the answers that crashed the target, killed its worker or hung are written to (once each, named KIND-SHA256 prefix).",
        };
        var json = CommonOptions.Json();
        var command = new Command("hit-rate", "Target-branch hit rate of a model on frontier questions (e.g. fuzz hindsight --holdout-out): each answer's input runs in the target.");
        foreach (var option in target.All.Concat(lm.ModelFlags).Concat([seedAnswer, k, temperature, maxTokens, seed, output, findings, json]))
            command.Options.Add(option);
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var (questionsPath, harness) = target.Required(pr);
            var backend = lm.Model(pr);
            var baseline = pr.GetValue(seedAnswer);
            if (baseline && backend is not null)
                throw new CliUsageException("--seed-answer asks no model: drop --lm/--lm-endpoint, or drop --seed-answer.");
            if (!baseline && backend is null)
                throw new CliUsageException("give a model: --lm MODEL.gguf|CHECKPOINT or --lm-endpoint URL --lm-model NAME (or --seed-answer for the baseline).");
            if (baseline && new Option[] { k, temperature, maxTokens, seed }.FirstOrDefault(o => pr.GetResult(o) is { Implicit: false }) is { } sampling)
                throw new CliUsageException($"{sampling.Name} is a sampling setting; --seed-answer samples nothing.");
            var options = CliUsageException.CheckWith(() => new FrontierHitRateOptions
            {
                K = pr.GetValue(k), Temperature = pr.GetValue(temperature), MaxTokens = pr.GetValue(maxTokens), Seed = pr.GetValue(seed),
            }, e => $"{e.ParamName switch { "K" => "--k", "Temperature" => "--temperature", _ => "--max-tokens" }} {CliUsageException.MessageOf(e)}, got {(e as ArgumentOutOfRangeException)?.ActualValue}.");
            var outPath = pr.GetValue(output) is { } o ? Path.GetFullPath(o) : null;
            if (outPath is not null && !Directory.Exists(Path.GetDirectoryName(outPath)))
                throw new CliUsageException($"--out: folder {Path.GetDirectoryName(outPath)} does not exist.");
            var findingsPath = pr.GetValue(findings) is { } f ? Path.GetFullPath(f) : null;
            if (findingsPath is not null && File.Exists(findingsPath))
                throw new CliUsageException($"--findings: {findingsPath} is a file; give a folder (it is created when missing).");
            var questions = FuzzDistanceGrpoReward.ReadQuestions(questionsPath);

            var clock = Stopwatch.StartNew();
            using var scorer = await target.OpenScorerAsync(pr, questions, harness, ct, findingsPath);
            var hitRate = new FrontierHitRate(scorer, options);
            FrontierHitRateReport report;
            string model;
            if (baseline)
            {
                report = hitRate.SeedBaseline(questions);
                model = "seed-answer";
            }
            else
            {
                var generator = FuzzLmOptions.Open(backend!);
                using var owns = generator as IDisposable;
                model = backend!.ModelPath is { } path ? Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(path)) : backend.ModelName!;
                report = await hitRate.MeasureAsync(questions, generator, ct);
            }
            if (outPath is not null)
                File.WriteAllLines(outPath, report.Rows.Select(r => JsonSerializer.Serialize(r, RowJson)));
            var summary = new Summary(model, report.Questions, report.Completions, report.Hits, Math.Round(report.HitRate, 4), Math.Round(report.HitAtK, 4),
                baseline ? 1 : options.K, Math.Round(report.MeanReward, 4), report.Unusable, report.Errors, report.Findings,
                report.Findings > 0 ? findingsPath : null, report.ModelSeconds,
                Math.Round(clock.Elapsed.TotalSeconds, 2), outPath);
            CliOutput.Write(pr, pr.GetValue(json), summary, console =>
            {
                foreach (var row in report.Rows)
                    console.MarkupLine($"target {row.TargetId} in {Markup.Escape(row.Method)}: {row.Hits}/{row.Completions} hit(s), best reward {row.BestReward:F2}"
                        + (row.Error is null ? "" : $" [red]{Markup.Escape(row.Error)}[/]"));
                console.MarkupLine($"{Markup.Escape(model)}: hit rate {summary.HitRate:P1} of {summary.Completions} completion(s), hit@{summary.K} {summary.HitAtK:P1} of {summary.Questions} question(s), "
                    + $"mean reward {summary.MeanReward:F3}, {summary.Unusable} unusable, {summary.Errors} error(s), {summary.Findings} finding(s){(summary.FindingsDirectory is { } saved ? $" in {Markup.Escape(saved)}" : "")}, model {summary.ModelSeconds:F1} s");
            });
            return CliApp.Success;
        });
        return command;
    }
}
