// agentkit fuzz hindsight --campaign DIR --out pairs.jsonl [--max N] [--questions-out q.jsonl] [--corpus-text corpus.txt] [--corpus-sft corpus.jsonl] [--json]
using System.CommandLine;
using System.Diagnostics;
using AgentKit.Fuzzing.Guidance;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit fuzz hindsight</c>: mines a campaign's corpus for hindsight pairs (<see cref="HindsightPairs"/>) and writes
/// them as SFT chat JSONL (<see cref="InputWriterData"/>), optionally their questions (<see cref="FrontierQuestionFile"/>,
/// for <c>train grpo --reward fuzz-distance --questions</c>) and the corpus warm start (plain text, SFT examples).
/// </summary>
internal static class FuzzHindsightCommand
{
    /// <summary>What the command reports.</summary>
    internal sealed record Summary(string Out, int Pairs, int Unwritable, string? Questions, string? CorpusText, string? CorpusSft, int CorpusInputs,
        IReadOnlyList<int> Targets, double Seconds);

    public static Command Create()
    {
        var flags = new FrontierQuestionFlags();
        var output = new Option<string>("--out") { Description = "SFT JSONL to write: one chat example (system, question, input as answer) a pair.", Required = true };
        var max = new Option<int>("--max") { Description = "Most pairs, in corpus order.", DefaultValueFactory = _ => 1000 };
        var questionsOut = new Option<string?>("--questions-out") { Description = "Also write the pairs' questions (JSONL, as fuzz questions writes) for train grpo --questions." };
        var corpusText = new Option<string?>("--corpus-text") { Description = "Also write the corpus's text inputs as plain text (train tokenizer --input)." };
        var corpusSft = new Option<string?>("--corpus-sft") { Description = "Also write one SFT example per text input of the corpus (system prompt, input as answer)." };
        var json = CommonOptions.Json();
        var command = new Command("hindsight", "Mine hindsight pairs from a campaign: each input that first covered a frontier branch answers the question about it; written as SFT data.")
        {
            flags.Campaign, output, max, questionsOut, corpusText, corpusSft, flags.Tokens, flags.CallerDepth, json,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var options = flags.Options(pr, max);
            var dir = flags.CampaignDirectory(pr);
            var outPath = FileToWrite(pr.GetValue(output)!, "--out")!;
            var questionsPath = FileToWrite(pr.GetValue(questionsOut), "--questions-out");
            var textPath = FileToWrite(pr.GetValue(corpusText), "--corpus-text");
            var sftPath = FileToWrite(pr.GetValue(corpusSft), "--corpus-sft");

            var clock = Stopwatch.StartNew();
            var pairs = HindsightPairs.FromCampaign(dir, options);
            var written = InputWriterData.WriteSft(outPath, pairs);
            if (questionsPath is not null)
                FrontierQuestionFile.Write(questionsPath, pairs.Where(p => p.AnswerText() is not null).Select(p => p.Question));
            var corpus = InputWriterData.CampaignCorpus(dir);
            var textInputs = textPath is not null ? InputWriterData.WriteCorpusText(textPath, corpus) : 0;
            var sftInputs = sftPath is not null ? InputWriterData.WriteCorpusSft(sftPath, corpus) : 0;
            var summary = new Summary(outPath, written, pairs.Count - written, questionsPath, textPath, sftPath, Math.Max(textInputs, sftInputs),
                pairs.Select(p => p.Question.TargetId).ToList(), Math.Round(clock.Elapsed.TotalSeconds, 2));
            CliOutput.Write(pr, pr.GetValue(json), summary, console =>
            {
                foreach (var pair in pairs)
                    console.MarkupLine($"corpus input {pair.CorpusIndex} first took target {pair.Question.TargetId} in {Markup.Escape(pair.Question.Method)} (seed distance {pair.Question.SeedDistance})");
                console.MarkupLine($"[grey]{written} pair(s) in {Markup.Escape(outPath)}{(summary.Unwritable > 0 ? $" ({summary.Unwritable} left out: binary input for a text question)" : "")}, {summary.Seconds:F1} s[/]");
                if (textPath is not null || sftPath is not null)
                    console.MarkupLine($"[grey]corpus warm start: {summary.CorpusInputs} text input(s) of {corpus.Count}[/]");
            });
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static string? FileToWrite(string? path, string flag)
    {
        if (path is null)
            return null;
        var full = Path.GetFullPath(path);
        if (!Directory.Exists(Path.GetDirectoryName(full)))
            throw new CliUsageException($"{flag}: folder {Path.GetDirectoryName(full)} does not exist.");
        return full;
    }
}
