using System.Text;
using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Coverage-slicing questions: for each frontier branch of a campaign, the decompiled code that decides it
/// (<see cref="CodeSlicer"/>), the corpus input closest to it (least <see cref="BranchDistance"/> from the blocks it
/// covers) and the instruction to write an input that takes the branch. Closest branches first.
/// </summary>
public static class FrontierQuestions
{
    /// <summary>The instruction every question carries.</summary>
    public const string Instruction =
        "The seed input reaches the statement marked TARGET in the code above but never goes the way out of it that no input has "
        + "taken yet (for a condition: the outcome the seed does not produce). Write an input that takes that way; change the seed "
        + "as little as needed. Answer with the input only.";

    /// <summary>
    /// Questions of the campaign in <paramref name="campaignDirectory"/> (its <c>target.json</c> and <c>corpus/</c>): the
    /// corpus is re-run on a block-mode twin of the target (in a temporary folder) to learn which blocks each input covers.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no <c>target.json</c>.</exception>
    public static List<FrontierQuestion> FromCampaign(string campaignDirectory, FrontierQuestionOptions? options = null)
    {
        options ??= new FrontierQuestionOptions();
        var campaign = CampaignBlocks.Load(campaignDirectory, options.ExecTimeout);
        return Build(campaign.Map, new CodeSlicer(campaign.Manifest.Directory), campaign.Corpus, options);
    }

    /// <summary>Questions for <paramref name="map"/> given each corpus input with the probe blocks it covers.</summary>
    public static List<FrontierQuestion> Build(BranchMap map, CodeSlicer slicer, IReadOnlyList<(byte[] Input, IReadOnlySet<int> Blocks)> corpus,
        FrontierQuestionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(slicer);
        ArgumentNullException.ThrowIfNull(corpus);
        options ??= new FrontierQuestionOptions();
        var covered = corpus.SelectMany(c => c.Blocks).ToHashSet();
        var seeds = new SeedIndex(map, corpus, options.CallWeight);
        var ranked = Frontier.Compute(map, covered).DistinctBy(b => b.Target.ProbeId)
            .Select(branch => Rank(map, seeds, corpus, branch, covered, options)).OfType<Candidate>();
        // Closest first; among equally close branches, the one that opens up the most uncovered code.
        return ranked.OrderBy(r => r.Distance).ThenByDescending(r => r.Behind).Take(options.Max).Select(r => Ask(map, slicer, r, options)).ToList();
    }

    /// <summary>A frontier branch with its seed (closest corpus input), the seed's distance and what the branch opens up.</summary>
    internal sealed record Candidate(FrontierBranch Branch, byte[] Seed, int Distance, int Behind);

    /// <summary>
    /// The seed of <paramref name="branch"/> among the first <paramref name="limit"/> inputs of <paramref name="corpus"/>
    /// (indexed by <paramref name="seeds"/>; null when none reaches it), given the <paramref name="covered"/> set: the
    /// closest input, within <see cref="FrontierQuestionOptions.SeedBudget"/> when one fits (a seed the model cannot read
    /// in its context is no help); on a tie the shorter one (less to read, less to change).
    /// </summary>
    internal static Candidate? Rank(BranchMap map, SeedIndex seeds, IReadOnlyList<(byte[] Input, IReadOnlySet<int> Blocks)> corpus,
        FrontierBranch branch, IReadOnlySet<int> covered, FrontierQuestionOptions options, int limit = int.MaxValue) =>
        seeds.Closest(branch.Target.ProbeId, options.SeedBudget, limit) is { } closest
            ? new Candidate(branch, corpus[closest.Index].Input, closest.Distance, UncoveredBehind(map, branch.Target, covered))
            : null;

    /// <summary>The question about a ranked branch: its slice, seed and the instruction.</summary>
    internal static FrontierQuestion Ask(BranchMap map, CodeSlicer slicer, Candidate candidate, FrontierQuestionOptions options)
    {
        var (seed, base64) = Encode(candidate.Seed);
        return new FrontierQuestion(candidate.Branch.Target.ProbeId, candidate.Branch.From.Method,
            slicer.Slice(map, candidate.Branch, options.TokenBudget, options.CallerDepth), seed, base64, candidate.Distance, Instruction, candidate.Behind);
    }

    /// <summary>Uncovered blocks reachable from <paramref name="target"/> (itself included) over CFG and call edges through uncovered blocks.</summary>
    internal static int UncoveredBehind(BranchMap map, BranchBlock target, IReadOnlySet<int> covered)
    {
        var seen = new HashSet<int> { target.ProbeId };
        var pending = new Stack<BranchBlock>([target]);
        while (pending.TryPop(out var block))
            foreach (var next in block.Successors.Concat(block.Callees))
                if (!covered.Contains(next) && map.Find(next) is { } found && seen.Add(next))
                    pending.Push(found);
        return seen.Count;
    }

    private static (string Seed, bool Base64) Encode(byte[] input) =>
        TextForm.IsUtf8(input) ? (Encoding.UTF8.GetString(input), false) : (Convert.ToBase64String(input), true);
}
