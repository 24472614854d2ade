using System.Text;
using AgentKit.Fuzzing.Guidance;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class CampaignBlocksTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void Each_corpus_is_replayed_only_when_the_enumeration_reaches_it()
    {
        var first = ToyTarget.CommandCampaign(ToyTarget.Cache, "x", "open 5");
        var second = ToyTarget.CommandCampaign(ToyTarget.Cache, "unlock 5");

        var replay = CampaignBlocks.ReplayEach([first, second], Timeout);
        // Written after the call: a corpus read at the call would miss it.
        File.WriteAllText(Path.Combine(second, "corpus", "id-000009"), "unlock 139");
        File.SetLastWriteTimeUtc(Path.Combine(second, "corpus", "id-000009"), DateTime.UtcNow.AddMinutes(1));
        var campaigns = replay.ToList();

        Assert.Equal(2, campaigns.Count);
        Assert.Equal(["x", "open 5"], campaigns[0].Corpus.Select(c => Encoding.UTF8.GetString(c.Input)));
        Assert.Equal(["unlock 5", "unlock 139"], campaigns[1].Corpus.Select(c => Encoding.UTF8.GetString(c.Input)));
        Assert.All(campaigns.SelectMany(c => c.Corpus), c => Assert.NotEmpty(c.Blocks));
        Assert.Same(campaigns[0].Map, campaigns[1].Map); // one branch map for both
    }

    [Fact]
    public void Folders_are_checked_at_the_call_before_any_replay()
    {
        var first = ToyTarget.CommandCampaign(ToyTarget.Cache, "x");
        var foreign = ToyTarget.CommandCampaign(ToyTarget.Cache + "-other", "x");

        // Not enumerated: the targets are compared when ReplayEach is called.
        var differ = Assert.Throws<CampaignTargetsDifferException>(() => CampaignBlocks.ReplayEach([first, foreign], Timeout));
        Assert.Equal(2, differ.Targets.Count);
        Assert.Throws<ArgumentException>(() => CampaignBlocks.ReplayEach([], Timeout));
        Assert.Throws<FileNotFoundException>(() => CampaignBlocks.ReplayEach([first, Path.Combine(first, "missing")], Timeout));
    }
}
