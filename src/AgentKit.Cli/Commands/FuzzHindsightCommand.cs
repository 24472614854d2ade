// agentkit fuzz hindsight --campaign DIR [--campaign DIR2 …] --out pairs.jsonl [--max N] [--questions-out q.jsonl [--questions-all]] [--corpus-text corpus.txt] [--corpus-sft corpus.jsonl] [--documents DIR [--document-bytes N] [--documents-sft docs.jsonl]] [--holdout-methods F --holdout-out held.jsonl [--holdout-seed N]] [--json]
using System.CommandLine;
using System.Diagnostics;
using AgentKit.Fuzzing.Guidance;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit fuzz hindsight</c>: mines a campaign's corpus for hindsight pairs (<see cref="HindsightPairs"/>; several
/// <c>--campaign</c> folders of one target give their pairs together, <see cref="HindsightPairs.FromCampaigns"/>) and writes
/// them as SFT chat JSONL (<see cref="InputWriterData"/>), optionally their questions (<see cref="FrontierQuestionFile"/>,
/// for <c>train grpo --reward fuzz-distance --questions</c>; with <c>--questions-all</c> also those whose answer is binary)
/// and the corpus warm start (plain text, SFT examples). With <c>--documents</c> a folder of sample documents of the input
/// language (<see cref="SampleDocuments"/>) is read after each campaign's corpus: its pieces answer the questions about
/// branches they open, and join the warm start. With
/// <c>--holdout-methods</c> the pairs of about that share of the methods (<see cref="MethodHoldout"/>) leave the SFT data
/// and its questions and go to <c>--holdout-out</c> as questions: a test set of code the model was not trained on.
/// </summary>
internal static class FuzzHindsightCommand
{
    /// <summary>What the command reports.</summary>
    internal sealed record Summary(string Out, int Pairs, int Unwritable, string? Questions, int QuestionsWritten, string? CorpusText, string? CorpusSft, int CorpusInputs,
        IReadOnlyList<int> Targets, int Methods, string? HeldOut, int HeldOutQuestions, int HeldOutMethods, double Seconds, int DocumentPieces);

    public static Command Create()
    {
        var flags = new FrontierQuestionFlags();
        var campaigns = new Option<string[]>("--campaign")
        {
            Description = "Campaign directory (its target.json and corpus/); repeat it for several campaigns of the same target (e.g. other --seed values): their pairs together.",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "SFT JSONL to write: one chat example (system, question, input as answer) a pair.", Required = true };
        var max = new Option<int>("--max") { Description = "Most pairs, in corpus order.", DefaultValueFactory = _ => 1000 };
        var questionsOut = new Option<string?>("--questions-out") { Description = "Also write the pairs' questions (JSONL, as fuzz questions writes) for train grpo --questions." };
        var questionsAll = new Option<bool>("--questions-all")
        {
            Description = "With --questions-out: also the questions whose answer input is binary (no SFT example can be written for them, but GRPO needs no answer: it runs what the model writes).",
        };
        var corpusText = new Option<string?>("--corpus-text") { Description = "Also write the corpus's text inputs as plain text (train tokenizer --input)." };
        var corpusSft = new Option<string?>("--corpus-sft") { Description = "Also write one SFT example per text input of the corpus (system prompt, input as answer)." };
        var documents = new Option<string?>("--documents")
        {
            Description = "Folder of sample documents of the input language (every file, recursively): their pieces are read after each campaign's corpus, "
                + "so a piece that opens a branch answers its question, and they join the warm start.",
        };
        var documentBytes = new Option<int>("--document-bytes")
        {
            Description = "With --documents: longest piece in bytes (documents are cut at line ends; a longer line gives its start).",
            DefaultValueFactory = _ => SampleDocuments.DefaultMaxBytes,
        };
        var documentsSft = new Option<string?>("--documents-sft")
        {
            Description = "With --documents: also write one SFT example per piece (system prompt, piece as answer), to train on the documents before the corpus warm start.",
        };
        var holdout = new Option<double>("--holdout-methods") { Description = "Share of the distinct methods (0 to below 1) whose pairs are held out as test questions (--holdout-out).", DefaultValueFactory = _ => 0 };
        var holdoutOut = new Option<string?>("--holdout-out") { Description = "With --holdout-methods: write the held-out methods' questions here (JSONL, for fuzz hit-rate --questions)." };
        var holdoutSeed = new Option<int>("--holdout-seed") { Description = "With --holdout-methods: picks another set of methods for the same share.", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        var command = new Command("hindsight", "Mine hindsight pairs from a campaign: each input that first covered a frontier branch answers the question about it; written as SFT data.")
        {
            campaigns, output, max, questionsOut, questionsAll, corpusText, corpusSft, documents, documentBytes, documentsSft, holdout, holdoutOut, holdoutSeed, flags.Tokens, flags.CallerDepth, json,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var options = flags.Options(pr, max);
            var dirs = FrontierQuestionFlags.CampaignDirectories(pr, campaigns);
            var outPath = FileToWrite(pr.GetValue(output)!, "--out")!;
            var questionsPath = FileToWrite(pr.GetValue(questionsOut), "--questions-out");
            var textPath = FileToWrite(pr.GetValue(corpusText), "--corpus-text");
            var sftPath = FileToWrite(pr.GetValue(corpusSft), "--corpus-sft");
            var heldPath = FileToWrite(pr.GetValue(holdoutOut), "--holdout-out");
            var fraction = pr.GetValue(holdout);
            if (!(fraction is >= 0 and < 1))
                throw new CliUsageException($"--holdout-methods must be at least 0 and below 1, got {fraction}.");
            if (fraction > 0 && heldPath is null)
                throw new CliUsageException("--holdout-methods needs --holdout-out held.jsonl (where the held-out questions go).");
            if (heldPath is not null && fraction == 0)
                throw new CliUsageException("--holdout-out needs --holdout-methods F above 0 (the share of methods to hold out).");
            if (pr.GetValue(questionsAll) && questionsPath is null)
                throw new CliUsageException("--questions-all needs --questions-out q.jsonl (where the questions go).");
            if (fraction == 0 && pr.GetResult(holdoutSeed) is { Implicit: false })
                throw new CliUsageException("--holdout-seed is only used with --holdout-methods.");

            var pieces = Documents(pr.GetValue(documents), pr.GetValue(documentBytes), pr.GetResult(documentBytes) is { Implicit: false });
            var documentsSftPath = FileToWrite(pr.GetValue(documentsSft), "--documents-sft");
            if (documentsSftPath is not null && pieces.Count == 0)
                throw new CliUsageException("--documents-sft needs --documents DIR (the documents to write).");

            var clock = Stopwatch.StartNew();
            var all = Mined(() => HindsightPairs.FromCampaigns(dirs, options, pieces));
            var split = MethodHoldout.Split(all, fraction, pr.GetValue(holdoutSeed));
            var pairs = split.Train;
            var held = split.HeldOut.Where(p => p.AnswerText() is not null).Select(p => p.Question).ToList();
            if (heldPath is not null)
                FrontierQuestionFile.Write(heldPath, held);
            var written = InputWriterData.WriteSft(outPath, pairs);
            var trainQuestions = pairs.Where(p => pr.GetValue(questionsAll) || p.AnswerText() is not null).Select(p => p.Question).ToList();
            if (questionsPath is not null)
                FrontierQuestionFile.Write(questionsPath, trainQuestions);
            // The corpus files are read again only for the warm-start outputs (the replay above does not keep them).
            var corpus = textPath is not null || sftPath is not null
                ? dirs.SelectMany(InputWriterData.CampaignCorpus).Concat(pieces).DistinctBy(Convert.ToBase64String).ToList()
                : [];
            var textInputs = textPath is not null ? InputWriterData.WriteCorpusText(textPath, corpus) : 0;
            var sftInputs = sftPath is not null ? InputWriterData.WriteCorpusSft(sftPath, corpus) : 0;
            if (documentsSftPath is not null)
                InputWriterData.WriteCorpusSft(documentsSftPath, pieces);
            var summary = new Summary(outPath, written, pairs.Count - written, questionsPath, questionsPath is null ? 0 : trainQuestions.Count, textPath, sftPath, Math.Max(textInputs, sftInputs),
                pairs.Select(p => p.Question.TargetId).ToList(), split.Methods, heldPath, held.Count, split.HeldOutMethods.Count, Math.Round(clock.Elapsed.TotalSeconds, 2), pieces.Count);
            CliOutput.Write(pr, pr.GetValue(json), summary, console =>
            {
                if (pieces.Count > 0)
                    console.MarkupLine($"[grey]{pieces.Count} document piece(s) read after each campaign's corpus[/]");
                foreach (var pair in pairs)
                    console.MarkupLine($"corpus input {pair.CorpusIndex} first took target {pair.Question.TargetId} in {Markup.Escape(pair.Question.Method)} (seed distance {pair.Question.SeedDistance})");
                console.MarkupLine($"[grey]{written} pair(s) in {Markup.Escape(outPath)}{(summary.Unwritable > 0 ? $" ({summary.Unwritable} left out: binary input for a text question)" : "")}, {summary.Seconds:F1} s[/]");
                if (questionsPath is not null)
                    console.MarkupLine($"[grey]{summary.QuestionsWritten} question(s) in {Markup.Escape(questionsPath)}[/]");
                if (heldPath is not null)
                    console.MarkupLine($"[grey]held out: {held.Count} question(s) of {split.HeldOutMethods.Count} of {split.Methods} method(s) in {Markup.Escape(heldPath)}[/]");
                if (textPath is not null || sftPath is not null)
                    console.MarkupLine($"[grey]corpus warm start: {summary.CorpusInputs} text input(s) of {corpus.Count}[/]");
            });
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    // The sample documents' pieces, or none; a missing folder or a bad size is a usage error.
    private static List<byte[]> Documents(string? folder, int maxBytes, bool sizeGiven)
    {
        if (folder is null)
            return sizeGiven ? throw new CliUsageException("--document-bytes is only used with --documents.") : [];
        if (maxBytes < 1)
            throw new CliUsageException($"--document-bytes must be at least 1, got {maxBytes}.");
        if (!Directory.Exists(folder))
            throw new CliUsageException($"--documents: folder {Path.GetFullPath(folder)} does not exist.");
        var pieces = SampleDocuments.Read(folder, maxBytes);
        return pieces.Count > 0 ? pieces : throw new CliUsageException($"--documents: no document in {Path.GetFullPath(folder)} (its files are empty or white space).");
    }

    // Campaigns of different targets are a usage error, not a crash.
    private static List<HindsightPair> Mined(Func<List<HindsightPair>> mine)
    {
        try
        {
            return mine();
        }
        catch (CampaignTargetsDifferException e)
        {
            throw new CliUsageException($"--campaign: {e.Message.Replace($" (Parameter '{e.ParamName}')", "")}.");
        }
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
