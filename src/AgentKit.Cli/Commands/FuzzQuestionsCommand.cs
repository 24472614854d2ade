// agentkit fuzz questions --campaign DIR --out q.jsonl [--max N] [--tokens N] [--caller-depth N] [--json]
using System.CommandLine;
using AgentKit.Fuzzing.Guidance;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary><c>agentkit fuzz questions</c>: exports a campaign's frontier branches as coverage-slicing questions (JSONL).</summary>
internal static class FuzzQuestionsCommand
{
    /// <summary>What the command reports.</summary>
    internal sealed record Summary(string Out, int Questions, IReadOnlyList<int> Targets);

    public static Command Create()
    {
        var flags = new FrontierQuestionFlags();
        var output = new Option<string>("--out") { Description = "JSONL file to write, one question a line.", Required = true };
        var max = new Option<int>("--max") { Description = "Most questions, closest branches first.", DefaultValueFactory = _ => 20 };
        var json = CommonOptions.Json();
        var command = new Command("questions", "Export frontier branches as questions: the deciding C# (decompiled), the closest corpus input, and the instruction to take the branch.")
        {
            flags.Campaign, output, max, flags.Tokens, flags.CallerDepth, json,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var options = flags.Options(pr, max);
            var dir = flags.CampaignDirectory(pr);
            var outPath = pr.GetValue(output)!;
            var outDir = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
            if (!Directory.Exists(outDir))
                throw new CliUsageException($"--out: folder {outDir} does not exist.");

            var questions = FrontierQuestions.FromCampaign(dir, options);
            FrontierQuestionFile.Write(outPath, questions);
            var summary = new Summary(Path.GetFullPath(outPath), questions.Count, questions.Select(q => q.TargetId).ToList());
            CliOutput.Write(pr, pr.GetValue(json), summary, console =>
            {
                foreach (var q in questions)
                    console.MarkupLine($"target {q.TargetId} in {Markup.Escape(q.Method)}: seed distance {q.SeedDistance}, {q.UncoveredBehind} uncovered block(s) behind");
                console.MarkupLine($"[grey]{questions.Count} question(s) in {Markup.Escape(summary.Out)}[/]");
            });
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }
}
