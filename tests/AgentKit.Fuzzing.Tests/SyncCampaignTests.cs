using AgentKit.Fuzzing.Afl;
using AgentKit.Fuzzing.Engine;

namespace AgentKit.Fuzzing.Tests;

/// <summary>Two local instances share an AFL++ sync directory: what one finds arrives in the other's corpus.</summary>
[Collection("campaigns")]
public sealed class SyncCampaignTests
{
    private static HashSet<string> Hashes(string folder) =>
        Directory.EnumerateFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Select(f => CampaignDirectory.Hash(File.ReadAllBytes(f))).ToHashSet();

    [Fact]
    public async Task Two_builtin_engines_exchange_their_finds_through_the_sync_directory()
    {
        var sync = Directory.CreateTempSubdirectory("agentkit-sync-").FullName;
        var (targetA, dirA) = ToyTarget.Prepare("sync-a");
        var seeds = Directory.CreateTempSubdirectory("agentkit-sync-seeds-").FullName;
        File.WriteAllText(Path.Combine(seeds, "deep"), "[dee]\nkey=1\n"); // only A knows this one
        var reportA = await FuzzCampaign.RunAsync(targetA, ToyTarget.Harness, ToyTarget.Options(dirA, 3, seeds) with { SyncDirectory = sync, InstanceName = "a" });

        var exportedByA = Hashes(Path.Combine(sync, "a", "queue"));
        Assert.Equal(reportA.SyncExported, exportedByA.Count);
        Assert.Equal(Hashes(Path.Combine(dirA, "corpus")).Where(h => h != CampaignDirectory.Hash([])).ToHashSet(), exportedByA);
        Assert.Contains(CampaignDirectory.Hash("[dee]\nkey=1\n"u8), exportedByA);

        // B starts empty and has no seeds: it runs A's queue first, and what adds coverage for B stays in B's corpus.
        var (targetB, dirB) = ToyTarget.Prepare("sync-b");
        var reportB = await FuzzCampaign.RunAsync(targetB, ToyTarget.Harness, ToyTarget.Options(dirB, 3) with { SyncDirectory = sync, InstanceName = "b", Workers = 1 });

        Assert.Equal(exportedByA.Count, reportB.SyncImported);
        var corpusB = Hashes(Path.Combine(dirB, "corpus"));
        var arrived = corpusB.Intersect(exportedByA).Count();
        Assert.True(arrived * 2 > exportedByA.Count, $"{arrived} of A's {exportedByA.Count} inputs in B's corpus");
        Assert.Contains(CampaignDirectory.Hash("[dee]\nkey=1\n"u8), corpusB);
        // B gives back only what it found itself, not A's inputs.
        var exportedByB = Hashes(Path.Combine(sync, "b", "queue"));
        Assert.Empty(exportedByB.Intersect(exportedByA));

        // A, resumed, picks up B's own finds.
        var resumedA = await FuzzCampaign.RunAsync(targetA, ToyTarget.Harness, ToyTarget.Options(dirA, 2) with { SyncDirectory = sync, InstanceName = "a" });
        Assert.Equal(exportedByB.Count, resumedA.SyncImported);
        Assert.Equal(exportedByA.Count, Hashes(Path.Combine(sync, "a", "queue")).Intersect(exportedByA).Count()); // nothing exported twice
    }

    [AflFact]
    public async Task Afl_main_and_builtin_secondaries_share_one_sync_directory()
    {
        var sync = Directory.CreateTempSubdirectory("agentkit-sync-afl-").FullName;
        var (builtin, builtinDir) = ToyTarget.Prepare("sync-builtin");
        var seeds = Directory.CreateTempSubdirectory("agentkit-sync-seeds-").FullName;
        File.WriteAllText(Path.Combine(seeds, "deep"), "[dee]\nkey=1\n");
        var first = await FuzzCampaign.RunAsync(builtin, ToyTarget.Harness, ToyTarget.Options(builtinDir, 3, seeds) with { SyncDirectory = sync, InstanceName = "s1" });
        Assert.True(first.SyncExported > 1);

        // afl-fuzz -M main -o SYNC, started from a seed of its own: it imports the builtin engine's queue at start (AFL_IMPORT_FIRST).
        var (afl, aflDir) = ToyTarget.Prepare("sync-afl");
        var aflSeeds = Directory.CreateTempSubdirectory("agentkit-sync-afl-seeds-").FullName;
        File.WriteAllText(Path.Combine(aflSeeds, "group"), "(x)\n");
        var aflReport = await AflCampaign.RunAsync(afl, ToyTarget.Harness, ToyTarget.Options(aflDir, 6, aflSeeds) with { SyncDirectory = sync, InstanceName = "main", Workers = 1 });
        Assert.True(aflReport.Execs > 0);
        var mainQueue = Directory.GetFiles(Path.Combine(sync, "main", "queue"));
        var fromBuiltin = mainQueue.Where(f => Path.GetFileName(f).Contains(",sync:s1,", StringComparison.Ordinal)).ToList();
        Assert.True(fromBuiltin.Count > 0, $"afl imported nothing from the builtin engine: {string.Join(", ", mainQueue.Select(Path.GetFileName))}");
        Assert.Contains(CampaignDirectory.Hash("[dee]\nkey=1\n"u8), fromBuiltin.Select(f => CampaignDirectory.Hash(File.ReadAllBytes(f))));

        // The first builtin engine, resumed, reads main's queue except its own inputs that afl synced back.
        var second = await FuzzCampaign.RunAsync(builtin, ToyTarget.Harness, ToyTarget.Options(builtinDir, 2) with { SyncDirectory = sync, InstanceName = "s1" });
        Assert.Equal(mainQueue.Count(f => new FileInfo(f).Length > 0 && !fromBuiltin.Contains(f)), second.SyncImported);

        // A second builtin engine joining fresh, without seeds, starts from main's queue: afl's own seed lands in its corpus.
        var (other, otherDir) = ToyTarget.Prepare("sync-builtin-2");
        var joined = await FuzzCampaign.RunAsync(other, ToyTarget.Harness, ToyTarget.Options(otherDir, 2) with { SyncDirectory = sync, InstanceName = "s2", Workers = 1 });
        Assert.True(joined.SyncImported >= mainQueue.Length - fromBuiltin.Count);
        Assert.Contains(CampaignDirectory.Hash("(x)\n"u8), Hashes(Path.Combine(otherDir, "corpus")));
    }
}
