using System.Text;
using AgentKit.Fuzzing.Guidance;
using AgentKit.Training.Sft;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class HindsightPairsTests(ToyBlockTargets toy) : IClassFixture<ToyBlockTargets>
{
    // In the order a campaign found them: each adds coverage; the last opens the checksum branch (139 % 97 == 42).
    private static readonly string[] Corpus = ["x", "open 5", "unlock 5", "unlock 139"];

    private List<(byte[] Input, IReadOnlySet<int> Blocks)> Replayed(IEnumerable<string> corpus) =>
        corpus.Select(Encoding.UTF8.GetBytes).Select(input => (input, (IReadOnlySet<int>)toy.Commands.Run(input).Blocks)).ToList();

    private int ChecksumTarget()
    {
        var unlock = toy.Entry("CommandParser::Unlock").ProbeId;
        return toy.Map.InMethod("CommandParser::Interpret").Single(b => b.Callees.Contains(unlock)).ProbeId;
    }

    [Fact]
    public void The_input_that_first_took_the_checksum_branch_answers_the_checksum_question()
    {
        var pairs = HindsightPairs.Build(toy.Map, new CodeSlicer(toy.Target.Directory), Replayed(Corpus));

        var checksum = Assert.Single(pairs, p => p.Question.TargetId == ChecksumTarget());
        Assert.Equal(3, checksum.CorpusIndex);
        Assert.Equal("unlock 5", checksum.Question.Seed); // the closest earlier input
        Assert.Equal(1, checksum.Question.SeedDistance);
        var marked = checksum.Question.Slice.Split('\n').Single(l => l.Contains(CodeSlicer.Marker, StringComparison.Ordinal));
        Assert.Contains("% 97", marked, StringComparison.Ordinal);
        Assert.Equal("unlock 139", Encoding.UTF8.GetString(FrontierPrompt.ExtractInput(checksum.AnswerText()!, checksum.Question.SeedIsBase64)));
        // The question is the one `fuzz questions` asks of the corpus before "unlock 139".
        var asked = FrontierQuestions.Build(toy.Map, new CodeSlicer(toy.Target.Directory), Replayed(Corpus.Take(3)), new FrontierQuestionOptions { Max = 100 });
        Assert.Equal(asked.Single(q => q.TargetId == checksum.Question.TargetId), checksum.Question);
    }

    [Fact]
    public void Every_pair_answers_a_frontier_target_of_the_earlier_corpus_with_the_input_that_first_covered_it()
    {
        var replayed = Replayed(Corpus);
        var pairs = HindsightPairs.Build(toy.Map, new CodeSlicer(toy.Target.Directory), replayed);

        Assert.True(pairs.Count >= 3, $"{pairs.Count} pairs"); // "open 5", "unlock 5" and "unlock 139" each open a branch
        Assert.DoesNotContain(pairs, p => p.CorpusIndex == 0); // nothing was covered before the first input
        foreach (var pair in pairs)
        {
            var before = replayed.Take(pair.CorpusIndex).SelectMany(c => c.Blocks).ToHashSet();
            Assert.DoesNotContain(pair.Question.TargetId, before);
            Assert.Contains(pair.Question.TargetId, replayed[pair.CorpusIndex].Blocks);
            Assert.Contains(Frontier.Compute(toy.Map, before), b => b.Target.ProbeId == pair.Question.TargetId);
        }
        Assert.Equal(pairs.OrderBy(p => p.CorpusIndex).Select(p => p.Question.TargetId), pairs.Select(p => p.Question.TargetId));
        Assert.Single(HindsightPairs.Build(toy.Map, new CodeSlicer(toy.Target.Directory), replayed, new FrontierQuestionOptions { Max = 1 }));
    }

    [Fact]
    public void Pairs_and_the_corpus_become_sft_data_that_train_sft_reads()
    {
        var pairs = HindsightPairs.Build(toy.Map, new CodeSlicer(toy.Target.Directory), Replayed(Corpus));
        var dir = Directory.CreateTempSubdirectory("agentkit-hindsight-").FullName;
        var binary = pairs[0] with { Input = [0xff, 0xfe] }; // not UTF-8, asked as text: no answer can be written

        Assert.Equal(pairs.Count, InputWriterData.WriteSft(Path.Combine(dir, "pairs.jsonl"), [.. pairs, binary]));
        var examples = SftDataReader.Read(Path.Combine(dir, "pairs.jsonl"));

        var checksum = examples[pairs.FindIndex(p => p.Question.TargetId == ChecksumTarget())];
        Assert.Equal(["system", "user", "assistant"], checksum.Messages.Select(m => m.Role));
        Assert.Equal(FrontierPrompt.System, checksum.Messages[0].Content);
        Assert.Contains("Closest input:\n```\nunlock 5\n```", checksum.Messages[1].Content, StringComparison.Ordinal);
        Assert.Equal("```\nunlock 139\n```", checksum.Messages[2].Content);
        Assert.Equal([0.0, 0.0, 1.0], checksum.Messages.Select(m => m.Weight));

        byte[][] corpus = [.. Corpus.Select(Encoding.UTF8.GetBytes), [0xc3, 0x28]];
        // The input that is not UTF-8 as a text harness reads it: the invalid byte as U+FFFD.
        Assert.Equal(5, InputWriterData.WriteCorpusText(Path.Combine(dir, "corpus.txt"), corpus));
        Assert.Equal("x\n\nopen 5\n\nunlock 5\n\nunlock 139\n\n\uFFFD(\n", File.ReadAllText(Path.Combine(dir, "corpus.txt")));
        Assert.Equal(5, InputWriterData.WriteCorpusSft(Path.Combine(dir, "corpus.jsonl"), corpus));
        var warm = SftDataReader.Read(Path.Combine(dir, "corpus.jsonl"));
        Assert.Equal("```\nopen 5\n```", warm[1].Messages[^1].Content);
        Assert.Equal("assistant", warm[1].Messages[^1].Role);
    }

    [Fact]
    public void A_campaign_folder_yields_the_same_pairs()
    {
        var dir = ToyTarget.CommandCampaign(ToyTarget.Cache, Corpus);

        var pairs = HindsightPairs.FromCampaign(dir);

        Assert.Equal(HindsightPairs.Build(toy.Map, new CodeSlicer(toy.Target.Directory), Replayed(Corpus)).Select(p => (p.Question, p.CorpusIndex)),
            pairs.Select(p => (p.Question, p.CorpusIndex)));
        Assert.Equal(Corpus, InputWriterData.CampaignCorpus(dir).Select(Encoding.UTF8.GetString));
    }

    [Fact]
    public void Sample_documents_read_after_each_campaign_answer_the_branches_they_open()
    {
        // Neither campaign found the checksum branch; a sample document takes it.
        var first = ToyTarget.CommandCampaign(ToyTarget.Cache, Corpus[..3]);
        var other = ToyTarget.CommandCampaign(ToyTarget.Cache, [Corpus[0], Corpus[2]]);
        byte[][] documents = [Encoding.UTF8.GetBytes("open 7"), Encoding.UTF8.GetBytes("unlock 139")];

        Assert.DoesNotContain(HindsightPairs.FromCampaigns([first, other]), p => p.Question.TargetId == ChecksumTarget());
        var pairs = HindsightPairs.FromCampaigns([first, other], documents: documents);

        var answered = pairs.Where(p => p.Question.TargetId == ChecksumTarget()).ToList();
        Assert.NotEmpty(answered);
        Assert.All(answered, p => Assert.Equal("unlock 139", Encoding.UTF8.GetString(p.Input)));
        Assert.Contains(answered, p => p.CorpusIndex == 4); // after the first campaign's three inputs and "open 7"
        Assert.Equal(HindsightPairs.FromCampaigns([first, other]).Select(p => p.Question), pairs.Where(p => Encoding.UTF8.GetString(p.Input) is not ("open 7" or "unlock 139")).Select(p => p.Question));
    }

    [Fact]
    public void Several_campaigns_give_their_pairs_together_once_each_and_refuse_another_target()
    {
        var first = ToyTarget.CommandCampaign(ToyTarget.Cache, Corpus);
        var again = ToyTarget.CommandCampaign(ToyTarget.Cache, Corpus);
        // Another order: the checksum branch is reached from another seed, so its question differs.
        var other = ToyTarget.CommandCampaign(ToyTarget.Cache, [Corpus[0], Corpus[^1]]);

        var one = HindsightPairs.FromCampaign(first);
        var alone = HindsightPairs.FromCampaign(other);
        var together = HindsightPairs.FromCampaigns([first, again, other]);

        Assert.Equal(one.Concat(alone).DistinctBy(p => (p.Question.TargetId, p.Question.Seed, Encoding.UTF8.GetString(p.Input))).Select(p => p.Question),
            together.Select(p => p.Question));
        Assert.True(together.Count > one.Count, $"{together.Count} pairs from three campaigns, {one.Count} from one");
        Assert.Equal(2, HindsightPairs.FromCampaigns([first, other], new FrontierQuestionOptions { Max = 2 }).Count);
        var foreign = ToyTarget.CommandCampaign(ToyTarget.Cache + "-other", Corpus);
        var differ = Assert.Throws<CampaignTargetsDifferException>(() => HindsightPairs.FromCampaigns([first, foreign]));
        Assert.Equal(2, differ.Targets.Count);
        Assert.Contains("cannot be read together", differ.Message);
        Assert.Throws<ArgumentException>(() => HindsightPairs.FromCampaigns([]));
    }
}
