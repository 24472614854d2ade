using AgentKit.Fuzzing.Execution;
using AgentKit.Fuzzing.Instrumentation;
using AgentKit.Fuzzing.Shared;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// A campaign folder's corpus, in the order the engine found it (<see cref="ReadCorpus"/>), with the probe blocks each input
/// covers, measured by re-running it on a block-mode twin of the campaign's target (in a temporary folder). An input that
/// is not UTF-8 is held in its <see cref="TextForm"/> where that runs the same blocks, so questions and answers are text.
/// </summary>
internal sealed record CampaignBlocks(TargetManifest Manifest, BranchMap Map, IReadOnlyList<(byte[] Input, IReadOnlySet<int> Blocks)> Corpus)
{
    /// <summary>Reads <c>target.json</c>, the branch map and <c>corpus/</c> of <paramref name="campaignDirectory"/> and replays the corpus.</summary>
    /// <exception cref="FileNotFoundException">The folder has no <c>target.json</c>.</exception>
    public static CampaignBlocks Load(string campaignDirectory, TimeSpan execTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(campaignDirectory);
        return ReplayEach([campaignDirectory], execTimeout).First();
    }

    /// <summary>
    /// Several campaigns of one instrumented target, in the order given: one branch map and one block-mode twin serve them
    /// all (building the twin and starting its worker is most of a small campaign's cost), each corpus replayed in its own
    /// order. The folders' manifests are checked now; each corpus is replayed only when the sequence reaches it, so a
    /// caller that stops early (enough pairs) pays for no further replay, and the twin is removed when the enumeration ends.
    /// </summary>
    /// <exception cref="ArgumentException">No folder.</exception>
    /// <exception cref="CampaignTargetsDifferException">The campaigns ran different instrumented targets (checked before any replay).</exception>
    /// <exception cref="FileNotFoundException">A folder has no <c>target.json</c>.</exception>
    /// <param name="campaignDirectories">The campaign folders, in order.</param>
    /// <param name="execTimeout">Time limit of one input's replay.</param>
    /// <param name="documents">Inputs replayed after each campaign's corpus, as if that campaign had found them last
    /// (<see cref="SampleDocuments"/>); none when null.</param>
    public static IEnumerable<CampaignBlocks> ReplayEach(IReadOnlyList<string> campaignDirectories, TimeSpan execTimeout, IReadOnlyList<byte[]>? documents = null)
    {
        ArgumentNullException.ThrowIfNull(campaignDirectories);
        if (campaignDirectories.Count == 0)
            throw new ArgumentException("at least one campaign folder is needed", nameof(campaignDirectories));
        var roots = campaignDirectories.Select(Path.GetFullPath).ToList();
        var manifests = roots.Select(root => TargetManifest.Load(Path.Combine(root, "target.json"))).ToList();
        var targets = manifests.Select(m => m.Directory).Distinct(StringComparer.Ordinal).ToList();
        if (targets.Count > 1)
            throw new CampaignTargetsDifferException(targets, nameof(campaignDirectories));
        var mapPath = Path.Combine(manifests[0].Directory, BranchMap.FileName);
        var map = File.Exists(mapPath) ? BranchMap.Load(mapPath) : BranchMap.Build(manifests[0].Directory, manifests[0].Assemblies);
        return Replay(roots, manifests, map, execTimeout, documents ?? []);
    }

    // An iterator, so the twin and its worker live exactly as long as the caller enumerates (disposal ends both).
    private static IEnumerable<CampaignBlocks> Replay(List<string> roots, List<TargetManifest> manifests, BranchMap map, TimeSpan execTimeout,
        IReadOnlyList<byte[]> documents)
    {
        var twin = Path.Combine(Path.GetTempPath(), "agentkit-questions-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var runner = new BlockCoverageRunner(BlockModeTarget.ForCampaign(manifests[0], twin), execTimeout);
            for (var i = 0; i < roots.Count; i++)
            {
                var covered = ReadCorpus(roots[i]).Concat(documents).Select(input => TextForm.Replay(runner, input)).ToList();
                yield return new CampaignBlocks(manifests[i], map, covered);
            }
        }
        finally
        {
            try { Directory.Delete(twin, recursive: true); } catch (IOException) { } // a worker may still hold a file
        }
    }

    /// <summary>
    /// The inputs of <c>corpus/</c> in <paramref name="campaignDirectory"/> in the order they were found: the engine writes
    /// each input when it adds it under its content hash, so by modification time, then name (empty when it has none).
    /// </summary>
    public static List<byte[]> ReadCorpus(string campaignDirectory)
    {
        var corpusDir = Path.Combine(campaignDirectory, "corpus");
        return Directory.Exists(corpusDir)
            ? new DirectoryInfo(corpusDir).EnumerateFiles().OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => File.ReadAllBytes(f.FullName)).ToList()
            : [];
    }
}
