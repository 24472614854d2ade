using AgentKit.Fuzzing.Engine;

namespace AgentKit.Fuzzing.Tests;

public sealed class EngineUnitTests
{
    [Fact]
    public void Coverage_counts_new_cells_and_new_hit_buckets_once()
    {
        var map = new CoverageMap();
        Assert.Equal(2, map.Merge([(1, 1), (2, 1)]));
        Assert.Equal(0, map.Merge([(1, 1), (2, 1)]));
        Assert.Equal(1, map.Merge([(1, 5)])); // same cell, new bucket (4-7)
        Assert.Equal(2, map.Edges);
    }

    [Fact]
    public void HasNew_agrees_with_merge_on_every_cell_and_bucket()
    {
        var map = new CoverageMap();
        var raw = new byte[Shared.WorkerProtocol.MapSize];
        var random = new Random(11);
        for (var round = 0; round < 300; round++)
        {
            Array.Clear(raw);
            var hits = new List<(ushort, byte)>();
            for (var k = random.Next(1, 40); k > 0; k--)
            {
                var index = random.Next(2) == 0 ? random.Next(64) : random.Next(raw.Length); // reuse a few cells often
                raw[index] = (byte)random.Next(1, 256);
            }
            for (var i = 0; i < raw.Length; i++)
            {
                if (raw[i] != 0)
                    hits.Add(((ushort)i, raw[i]));
            }
            var predicted = map.HasNew(raw);
            Assert.Equal(map.Merge(hits.ToArray()) > 0, predicted);
            Assert.False(map.HasNew(raw)); // merged: nothing new any more
        }
        Assert.False(map.HasNew(new byte[Shared.WorkerProtocol.MapSize]));
    }

    [Fact]
    public void Crash_signature_ignores_line_numbers_and_keeps_top_frames()
    {
        const string a = "   at Lib.Parser.Block(String s) in /src/a.cs:line 10\n   at Lib.Parser.Parse(String s) in /src/a.cs:line 3";
        const string b = "   at Lib.Parser.Block(String s) in /src/a.cs:line 12\n   at Lib.Parser.Parse(String s) in /src/a.cs:line 4";
        Assert.Equal(CrashSignature.ForException("System.NullReferenceException", a), CrashSignature.ForException("System.NullReferenceException", b));
        Assert.NotEqual(CrashSignature.ForException("System.NullReferenceException", a), CrashSignature.ForException("System.InvalidCastException", a));
        var (kind, signature) = CrashSignature.ForDeath(134, "Stack overflow.\nRepeat 1000 times:\n   at Lib.Parser.Group(System.String)\n");
        Assert.Equal("stack-overflow", kind);
        Assert.Contains("Lib.Parser.Group", signature, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutator_respects_the_length_cap_and_uses_dictionary_tokens()
    {
        var random = new Random(3);
        var mutator = new Mutator(random, Mutator.Tokens(["<TOKEN>"]), maxLength: 64);
        var outputs = Enumerable.Range(0, 2000).Select(_ => mutator.Mutate("hello world"u8.ToArray(), () => "other input"u8.ToArray())).ToList();
        Assert.All(outputs, o => Assert.True(o.Length <= 64));
        Assert.Contains(outputs, o => System.Text.Encoding.UTF8.GetString(o).Contains("<TOKEN>", StringComparison.Ordinal));
        Assert.True(outputs.Select(Convert.ToHexString).Distinct().Count() > 1500);
    }

    [Fact]
    public void Mutants_are_not_longer_than_their_parent_on_average()
    {
        // Inputs that grow with every generation make a parser slower with every generation (the engine once ran
        // 6 to 12 times afl's input sizes at half its speed): deletion outweighs insertion, as in afl.
        var random = new Random(5);
        var parent = Enumerable.Range(0, 256).Select(i => (byte)('a' + i % 26)).ToArray();
        var mutator = new Mutator(random, [], maxLength: 4096);
        var mean = Enumerable.Range(0, 20_000).Average(_ => mutator.Mutate(parent, () => parent).Length);
        Assert.True(mean < parent.Length, $"mean mutant length {mean:F1} for a {parent.Length}-byte parent");
    }

    [Fact]
    public void The_scheduler_picks_small_entries_more_often_than_large_ones_with_the_same_coverage()
    {
        var corpus = new Corpus();
        var small = new CorpusEntry(new byte[20], cells: 100, newBits: 5, 0);
        var large = new CorpusEntry(new byte[2000], cells: 100, newBits: 5, 0);
        corpus.Add(small);
        corpus.Add(large);
        for (var i = 0; i < 8; i++)
            corpus.Add(new CorpusEntry([(byte)i, 1, 2, 3, 4, 5, 6, 7, 8, 9], cells: 100, newBits: 5, 0));
        Assert.True(corpus.SizeFactor(20) > corpus.SizeFactor(2000));
        Assert.True(corpus.Mutants(small) > corpus.Mutants(large));

        var random = new Random(1);
        int smallPicks = 0, largePicks = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var picked = corpus.Pick(random);
            smallPicks += ReferenceEquals(picked, small) ? 1 : 0;
            largePicks += ReferenceEquals(picked, large) ? 1 : 0;
        }
        Assert.True(smallPicks > 2 * largePicks, $"small picked {smallPicks} times, large {largePicks}");
    }

    [Fact]
    public void Time_to_first_crash_median_counts_runs_without_a_crash_as_slowest()
    {
        Assert.Equal(3, Bench.EngineComparison.MedianTime([1, null, 3]));
        Assert.Equal(3, Bench.EngineComparison.MedianTime([4, 2]));
        Assert.Null(Bench.EngineComparison.MedianTime([null, 5, null])); // most runs found nothing: no finite median
        Assert.Equal(2.5, Bench.EngineComparison.Median([4, 1, 2, 3]));
    }

    [Fact]
    public void Options_explain_what_is_wrong()
    {
        var error = Assert.Throws<ArgumentException>(() => new FuzzCampaignOptions { OutputDirectory = "x", Workers = 0 }.Validate());
        Assert.Contains("Workers", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => FuzzHarness.BuiltIn("no-such-parser"));
        Assert.Throws<ArgumentException>(() => FuzzHarness.Static("NoDot"));
        Assert.Contains("BatchSize", Assert.Throws<ArgumentException>(() => new FuzzCampaignOptions { OutputDirectory = "x", BatchSize = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("Repeat", Assert.Throws<ArgumentException>(() => new Bench.FuzzBenchOptions { OutputDirectory = "x", Repeat = 0 }.Validate()).Message, StringComparison.Ordinal);
    }
}
