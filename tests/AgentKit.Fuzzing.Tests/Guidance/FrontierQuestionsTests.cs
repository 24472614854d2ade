using System.Text;
using AgentKit.Fuzzing.Guidance;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class FrontierQuestionsTests(ToyBlockTargets toy) : IClassFixture<ToyBlockTargets>
{
    private static readonly string[] Corpus = ["x", "open 5", "unlock abc", "unlock 12345", "unlock 5"];

    private List<FrontierQuestion> Questions(FrontierQuestionOptions? options = null, string[]? corpus = null)
    {
        var covered = (corpus ?? Corpus).Select(Encoding.UTF8.GetBytes).Select(input => (input, (IReadOnlySet<int>)toy.Commands.Run(input).Blocks)).ToList();
        return FrontierQuestions.Build(toy.Map, new CodeSlicer(toy.Target.Directory), covered, options);
    }

    /// <summary>The block of Interpret that calls Unlock: the one behind <c>code % 97 != 42</c>.</summary>
    private int ChecksumTarget()
    {
        var unlock = toy.Entry("CommandParser::Unlock").ProbeId;
        return toy.Map.InMethod("CommandParser::Interpret").Single(b => b.Callees.Contains(unlock)).ProbeId;
    }

    [Fact]
    public void The_checksum_question_shows_the_deciding_condition_marked_and_the_closest_seed()
    {
        var questions = Questions();

        var checksum = Assert.Single(questions, q => q.TargetId == ChecksumTarget());
        var marked = checksum.Slice.Split('\n').Single(l => l.Contains(CodeSlicer.Marker, StringComparison.Ordinal));
        Assert.Contains("% 97", marked, StringComparison.Ordinal);
        Assert.Contains("42", marked, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedMem", checksum.Slice, StringComparison.Ordinal); // decompiled without the probes
        Assert.Contains("Interpret", checksum.Method, StringComparison.Ordinal);
        Assert.Contains("// caller:", checksum.Slice, StringComparison.Ordinal); // Parse calls Interpret
        // Both "unlock 5" and "unlock 12345" reach the check (one branch away); the shorter wins; the rest are farther.
        Assert.Equal("unlock 5", checksum.Seed);
        Assert.False(checksum.SeedIsBase64);
        Assert.Equal(1, checksum.SeedDistance);
        var distance = new BranchDistance(toy.Map, checksum.TargetId, 2);
        foreach (var other in new[] { "x", "open 5", "unlock abc" })
            Assert.True(distance.Nearest(toy.Commands.Run(Encoding.UTF8.GetBytes(other)).Blocks) > 1, other);
        Assert.Equal(FrontierQuestions.Instruction, checksum.Instruction);
        // Taking it opens the Unlock block and Unlock itself (entry): ranked above the lexer's throw, which opens one block.
        Assert.True(checksum.UncoveredBehind >= 2, $"{checksum.UncoveredBehind}");
        Assert.Equal(questions.OrderBy(q => q.SeedDistance).ThenByDescending(q => q.UncoveredBehind).Select(q => q.TargetId), questions.Select(q => q.TargetId));
        Assert.Equal(checksum, questions[0]);
    }

    [Fact]
    public void A_seed_budget_prefers_the_closest_input_that_fits_and_falls_back_to_the_closest_when_none_does()
    {
        // "unlock 5" (8 bytes) and "unlock 12345" are one branch away; within 6 bytes only "x" and "open 5" remain, farther.
        var budgeted = Assert.Single(Questions(new FrontierQuestionOptions { SeedBudget = 6 }), q => q.TargetId == ChecksumTarget());
        Assert.True(budgeted.Seed.Length <= 6, budgeted.Seed);
        Assert.True(budgeted.SeedDistance > 1, $"{budgeted.SeedDistance}");

        // No input within 4 bytes reaches the check: the closest one is still asked about rather than the branch dropped.
        var fallback = Assert.Single(Questions(new FrontierQuestionOptions { SeedBudget = 4 }, ["unlock 12345", "unlock 5"]), q => q.TargetId == ChecksumTarget());
        Assert.Equal("unlock 5", fallback.Seed);
        Assert.Equal(1, fallback.SeedDistance);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrontierQuestionOptions { SeedBudget = 0 });
    }

    [Fact]
    public void A_branch_inside_a_compound_condition_marks_its_if()
    {
        // The lexer's throw is behind `c != ' ' && !IsAsciiLetterLower(c) && !IsAsciiDigit(c)`: never taken by this corpus.
        var lexer = Assert.Single(Questions(), q => q.Method.Contains("CommandParser::Lex", StringComparison.Ordinal));
        var marked = lexer.Slice.Split('\n').Single(l => l.Contains(CodeSlicer.Marker, StringComparison.Ordinal));

        Assert.StartsWith("if (", marked.Trim(), StringComparison.Ordinal);
        Assert.Contains("IsAsciiDigit", marked, StringComparison.Ordinal);
        Assert.Equal(1, lexer.UncoveredBehind); // the throw block alone
    }

    [Fact]
    public void A_small_token_budget_keeps_the_marked_line_and_max_caps_the_count()
    {
        var questions = Questions(new FrontierQuestionOptions { TokenBudget = 50, CallerDepth = 0 });
        var checksum = Assert.Single(questions, q => q.TargetId == ChecksumTarget());

        Assert.True(checksum.Slice.Length <= 50 * 4 + 200, checksum.Slice); // header line and ellipses on top of the budget
        Assert.Contains(CodeSlicer.Marker, checksum.Slice, StringComparison.Ordinal);
        Assert.DoesNotContain("// caller:", checksum.Slice, StringComparison.Ordinal);
        Assert.Single(Questions(new FrontierQuestionOptions { Max = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrontierQuestionOptions { Max = 0 });
    }

    [Fact]
    public void Questions_round_trip_through_jsonl()
    {
        var questions = Questions();
        questions.Add(new FrontierQuestion(7, "M", "if (x) /* TARGET */\n\t\"q\"", Convert.ToBase64String([0xff, 0x00, 0xfe]), true, 3, "do it", 5));
        var path = Path.Combine(Path.GetTempPath(), "agentkit-questions-" + Guid.NewGuid().ToString("N")[..8] + ".jsonl");
        try
        {
            FrontierQuestionFile.Write(path, questions);
            var read = FrontierQuestionFile.Read(path);

            Assert.Equal(questions, read);
            Assert.Equal(questions.Count, File.ReadAllLines(path).Length);
            Assert.Equal(new byte[] { 0xff, 0x00, 0xfe }, read[^1].SeedBytes());
            File.AppendAllText(path, "{not json\n");
            Assert.Throws<InvalidDataException>(() => FrontierQuestionFile.Read(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_campaign_folder_yields_the_same_checksum_question()
    {
        var dir = ToyTarget.CommandCampaign(ToyTarget.Cache, Corpus);

        var questions = FrontierQuestions.FromCampaign(dir);

        var checksum = Assert.Single(questions, q => q.TargetId == ChecksumTarget());
        Assert.Equal("unlock 5", checksum.Seed);
        Assert.Equal(Questions().Single(q => q.TargetId == checksum.TargetId), checksum);
    }
}
