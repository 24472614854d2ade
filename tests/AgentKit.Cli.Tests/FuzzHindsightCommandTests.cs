using System.Text.Json.Nodes;
using AgentKit.Fuzzing.Guidance;
using AgentKit.TestUtils;
using AgentKit.Training.Sft;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

/// <summary><c>agentkit fuzz hindsight</c> on a toy campaign: the SFT pairs, their questions, the corpus warm start, and the refusals.</summary>
public sealed class FuzzHindsightCommandTests
{
    [Fact]
    public async Task A_toy_campaign_gives_sft_pairs_their_questions_and_the_corpus_warm_start()
    {
        var campaign = await ToyCampaign.CreateAsync("x", "open 5", "unlock 5", "unlock 139");
        var dir = TinyModels.TempPath("hindsight");
        Directory.CreateDirectory(dir);
        string Out(string name) => Path.Combine(dir, name);

        var (exit, stdout, stderr) = await RunAsync("fuzz", "hindsight", "--campaign", campaign, "--out", Out("pairs.jsonl"),
            "--questions-out", Out("q.jsonl"), "--corpus-text", Out("corpus.txt"), "--corpus-sft", Out("corpus.jsonl"), "--json");

        Assert.True(exit == 0, stderr);
        var summary = JsonNode.Parse(stdout)!;
        var pairs = summary["pairs"]!.GetValue<int>();
        Assert.True(pairs >= 3, stdout);
        var examples = SftDataReader.Read(Out("pairs.jsonl"));
        var questions = FrontierQuestionFile.Read(Out("q.jsonl"));
        Assert.Equal(pairs, examples.Count);
        Assert.Equal(pairs, questions.Count);
        // The last pair: "unlock 139" answers the checksum question asked with the seed "unlock 5".
        Assert.Equal("unlock 5", questions[^1].Seed);
        Assert.Equal(FrontierPrompt.UserText(questions[^1]), examples[^1].Messages[1].Content);
        Assert.Equal("```\nunlock 139\n```", examples[^1].Messages[2].Content);
        Assert.Equal("x\n\nopen 5\n\nunlock 5\n\nunlock 139\n", File.ReadAllText(Out("corpus.txt")));
        Assert.Equal(4, SftDataReader.Read(Out("corpus.jsonl")).Count);
        Assert.Equal(4, summary["corpus_inputs"]!.GetValue<int>());
    }

    [Fact]
    public async Task Questions_all_adds_the_questions_whose_answer_is_binary_to_the_grpo_questions_only()
    {
        // A byte harness that branches on 0xFF: no text form runs that input the same way, so its answer stays binary.
        var campaign = await ToyCampaign.CreateForAsync("AgentKit.Fuzzing.ToyParser.ByteHeader.Parse", "x");
        // Written last, so found last: the header byte takes the branch.
        File.WriteAllBytes(Path.Combine(campaign, "corpus", "id-999999"), [0xff, (byte)'x']);
        var dir = TinyModels.TempPath("hindsight");
        Directory.CreateDirectory(dir);
        async Task<JsonNode> Mine(params string[] extra)
        {
            var (exit, stdout, stderr) = await RunAsync(["fuzz", "hindsight", "--campaign", campaign, "--out", Path.Combine(dir, "p.jsonl"),
                "--questions-out", Path.Combine(dir, "q.jsonl"), "--json", .. extra]);
            Assert.True(exit == 0, stderr);
            return JsonNode.Parse(stdout)!;
        }

        var plain = await Mine();
        var plainQuestions = FrontierQuestionFile.Read(Path.Combine(dir, "q.jsonl"));
        var all = await Mine("--questions-all");
        var allQuestions = FrontierQuestionFile.Read(Path.Combine(dir, "q.jsonl"));

        Assert.True(plain["unwritable"]!.GetValue<int>() >= 1, plain.ToJsonString());
        Assert.Equal(plain["pairs"]!.GetValue<int>(), plainQuestions.Count);
        Assert.Equal(plain["pairs"]!.GetValue<int>(), all["pairs"]!.GetValue<int>()); // the SFT data is the same
        Assert.Equal(plainQuestions.Count + plain["unwritable"]!.GetValue<int>(), allQuestions.Count);
        Assert.Equal(allQuestions.Count, all["questions_written"]!.GetValue<int>());
        Assert.Contains(allQuestions, q => !plainQuestions.Contains(q));

        var (code, _, error) = await RunAsync("fuzz", "hindsight", "--campaign", campaign, "--out", Path.Combine(dir, "p.jsonl"), "--questions-all");
        Assert.Equal(2, code);
        Assert.Contains("--questions-all needs --questions-out", error);
    }

    [Fact]
    public async Task Several_campaigns_of_one_target_give_their_pairs_together_and_another_target_is_refused()
    {
        var first = await ToyCampaign.CreateAsync("x", "open 5", "unlock 5", "unlock 139");
        var second = await ToyCampaign.CreateAsync("x", "unlock 139");
        var dir = TinyModels.TempPath("hindsight");
        Directory.CreateDirectory(dir);
        async Task<int> PairsOf(params string[] campaigns)
        {
            var args = campaigns.SelectMany(c => new[] { "--campaign", c }).Concat(["--out", Path.Combine(dir, "p.jsonl"), "--corpus-text", Path.Combine(dir, "c.txt"), "--json"]);
            var (exit, stdout, stderr) = await RunAsync(["fuzz", "hindsight", .. args]);
            Assert.True(exit == 0, stderr);
            return JsonNode.Parse(stdout)!["pairs"]!.GetValue<int>();
        }

        var one = await PairsOf(first);
        var other = await PairsOf(second);
        var both = await PairsOf(first, second);

        Assert.True(both > one && both <= one + other, $"{both} pairs from both, {one} and {other} alone");
        Assert.Equal(4, File.ReadAllText(Path.Combine(dir, "c.txt")).Split("\n\n").Length); // the corpora together, each input once

        // A campaign of another instrumented copy: its probe ids mean other blocks.
        var foreign = await ToyCampaign.CreateAsync("x");
        var manifest = Path.Combine(foreign, "target.json");
        var node = JsonNode.Parse(File.ReadAllText(manifest))!;
        var copy = TinyModels.TempPath("instrumented-copy");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(node["directory"]!.GetValue<string>()))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        node["directory"] = copy;
        File.WriteAllText(manifest, node.ToJsonString());
        var (code, _, error) = await RunAsync("fuzz", "hindsight", "--campaign", first, "--campaign", foreign, "--out", Path.Combine(dir, "p.jsonl"));
        Assert.Equal(2, code);
        Assert.Contains("--campaign: the campaigns ran 2 different instrumented targets", error);
    }

    [Fact]
    public async Task Sample_documents_answer_the_branch_the_campaign_left_and_join_the_warm_start()
    {
        var campaign = await ToyCampaign.CreateAsync("x", "open 5", "unlock 5"); // never took the checksum branch
        var dir = TinyModels.TempPath("hindsight-documents");
        Directory.CreateDirectory(Path.Combine(dir, "docs"));
        File.WriteAllText(Path.Combine(dir, "docs", "session.txt"), "unlock 139\nopen 7\n");
        string Out(string name) => Path.Combine(dir, name);

        var (exit, stdout, stderr) = await RunAsync("fuzz", "hindsight", "--campaign", campaign, "--out", Out("pairs.jsonl"),
            "--corpus-text", Out("corpus.txt"), "--documents", Out("docs"), "--document-bytes", "11", "--documents-sft", Out("docs.jsonl"), "--json");

        Assert.True(exit == 0, stderr);
        Assert.Equal(2, JsonNode.Parse(stdout)!["document_pieces"]!.GetValue<int>()); // one line a piece at 11 bytes
        Assert.Equal("```\nunlock 139\n```", SftDataReader.Read(Out("pairs.jsonl"))[^1].Messages[2].Content);
        Assert.Equal("x\n\nopen 5\n\nunlock 5\n\nunlock 139\n\nopen 7\n", File.ReadAllText(Out("corpus.txt")));

        Assert.Equal(["```\nunlock 139\n```", "```\nopen 7\n```"], SftDataReader.Read(Out("docs.jsonl")).Select(e => e.Messages[^1].Content));

        (exit, _, stderr) = await RunAsync("fuzz", "hindsight", "--campaign", campaign, "--out", Out("p.jsonl"), "--documents", Out("none"));
        Assert.Equal(2, exit);
        Assert.Contains("--documents: folder", stderr);
        (exit, _, stderr) = await RunAsync("fuzz", "hindsight", "--campaign", campaign, "--out", Out("p.jsonl"), "--document-bytes", "64");
        Assert.Equal(2, exit);
        Assert.Contains("--document-bytes is only used with --documents", stderr);
        (exit, _, stderr) = await RunAsync("fuzz", "hindsight", "--campaign", campaign, "--out", Out("p.jsonl"), "--documents-sft", Out("d.jsonl"));
        Assert.Equal(2, exit);
        Assert.Contains("--documents-sft needs --documents", stderr);
    }

    [Fact]
    public async Task A_folder_without_a_campaign_and_bad_numbers_are_usage_errors_naming_the_flag()
    {
        var empty = Directory.CreateTempSubdirectory("agentkit-hindsight-").FullName;

        var (exit, _, stderr) = await RunAsync("fuzz", "hindsight", "--campaign", empty, "--out", Path.Combine(empty, "p.jsonl"));
        Assert.Equal(2, exit);
        Assert.Contains("--campaign", stderr);
        Assert.Contains("no target.json", stderr);

        (exit, _, stderr) = await RunAsync("fuzz", "hindsight", "--campaign", empty, "--out", "p.jsonl", "--max", "0");
        Assert.Equal(2, exit);
        Assert.Contains("--max must be at least 1", stderr);

        var campaign = await ToyCampaign.CreateAsync("x");
        (exit, _, stderr) = await RunAsync("fuzz", "hindsight", "--campaign", campaign, "--out", "p.jsonl", "--questions-out", Path.Combine(empty, "no", "q.jsonl"));
        Assert.Equal(2, exit);
        Assert.Contains("--questions-out: folder", stderr);
    }
}
