using AgentKit.Fuzzing.Instrumentation;
using AgentKit.Fuzzing.Shared;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Hindsight pairs mined from a campaign's corpus: walking the inputs in the order they were found, an input that first
/// covered block b answers the question about b, when b was a frontier target just before it (a covered block had b as
/// an uncovered successor). The question is the one <see cref="FrontierQuestions"/> would have built from the earlier
/// inputs: same branch (first frontier edge into b in IL order), slice, closest earlier input as seed, its distance.
/// </summary>
public static class HindsightPairs
{
    /// <summary>
    /// Pairs of the campaign in <paramref name="campaignDirectory"/> (its <c>target.json</c> and <c>corpus/</c>, replayed in a
    /// block-mode twin), in corpus order, at most <see cref="FrontierQuestionOptions.Max"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no <c>target.json</c>.</exception>
    public static List<HindsightPair> FromCampaign(string campaignDirectory, FrontierQuestionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(campaignDirectory);
        return FromCampaigns([campaignDirectory], options);
    }

    /// <summary>
    /// Pairs of several campaigns on the same instrumented target (each replayed on its own, in the order it found its inputs,
    /// on one shared block-mode twin), concatenated in the order given, at most <see cref="FrontierQuestionOptions.Max"/> in all.
    /// Campaigns with other seeds reach the same branches from other inputs, so they give other questions and answers for the
    /// same code: more training data without a longer campaign. A pair whose question and answer an earlier campaign already
    /// gave is left out.
    /// </summary>
    /// <exception cref="ArgumentException">No folder.</exception>
    /// <exception cref="CampaignTargetsDifferException">Campaigns of different instrumented targets (their probe ids would not agree).</exception>
    /// <exception cref="FileNotFoundException">A folder has no <c>target.json</c>.</exception>
    /// <param name="campaignDirectories">The campaign folders, in order.</param>
    /// <param name="options">Question options (seed and token budgets, <see cref="FrontierQuestionOptions.Max"/>).</param>
    /// <param name="documents">Sample documents' pieces (<see cref="SampleDocuments"/>), read after each campaign's corpus as
    /// if it had found them last: a piece that opens a branch the campaign left answers that campaign's question about
    /// it. None when null.</param>
    public static List<HindsightPair> FromCampaigns(IReadOnlyList<string> campaignDirectories, FrontierQuestionOptions? options = null,
        IReadOnlyList<byte[]>? documents = null)
    {
        options ??= new FrontierQuestionOptions();
        var campaigns = CampaignBlocks.ReplayEach(campaignDirectories, options.ExecTimeout, documents);
        CodeSlicer? slicer = null;
        var pairs = new List<HindsightPair>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // Lazy: once Max pairs are found, the later campaigns are not replayed.
        foreach (var campaign in campaigns)
        {
            slicer ??= new CodeSlicer(campaign.Manifest.Directory);
            foreach (var pair in Build(campaign.Map, slicer, campaign.Corpus, options))
            {
                if (seen.Add(Key(pair)))
                    pairs.Add(pair);
                if (pairs.Count == options.Max)
                    return pairs;
            }
        }
        return pairs;
    }

    // Same target, same seed, same answer: the same SFT example.
    private static string Key(HindsightPair pair) =>
        $"{pair.Question.TargetId}:{pair.Question.Seed}:{Convert.ToBase64String(pair.Input)}";

    /// <summary>Pairs for <paramref name="map"/> given the corpus in the order it was found, each input with the probe blocks it covers.</summary>
    public static List<HindsightPair> Build(BranchMap map, CodeSlicer slicer, IReadOnlyList<(byte[] Input, IReadOnlySet<int> Blocks)> corpus,
        FrontierQuestionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(slicer);
        ArgumentNullException.ThrowIfNull(corpus);
        options ??= new FrontierQuestionOptions();
        var pairs = new List<HindsightPair>();
        var covered = new HashSet<int>();
        var seeds = new SeedIndex(map, corpus, options.CallWeight); // asked about the inputs before each answer only
        for (var i = 0; i < corpus.Count && pairs.Count < options.Max; i++)
        {
            var (input, blocks) = corpus[i];
            var fresh = blocks.Where(b => !covered.Contains(b)).ToHashSet();
            if (fresh.Count > 0 && covered.Count > 0)
            {
                foreach (var branch in Frontier.Compute(map, covered).Where(b => fresh.Contains(b.Target.ProbeId)).DistinctBy(b => b.Target.ProbeId))
                {
                    if (FrontierQuestions.Rank(map, seeds, corpus, branch, covered, options, limit: i) is not { } candidate)
                        continue;
                    pairs.Add(new HindsightPair(FrontierQuestions.Ask(map, slicer, candidate, options), input, i));
                    if (pairs.Count == options.Max)
                        break;
                }
            }
            covered.UnionWith(blocks);
        }
        return pairs;
    }
}
