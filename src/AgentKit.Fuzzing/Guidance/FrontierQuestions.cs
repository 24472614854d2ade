using System.Text;
using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Execution;
using AgentKit.Fuzzing.Instrumentation;
using AgentKit.Fuzzing.Shared;

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
        ArgumentException.ThrowIfNullOrWhiteSpace(campaignDirectory);
        options ??= new FrontierQuestionOptions();
        var root = Path.GetFullPath(campaignDirectory);
        var manifest = TargetManifest.Load(Path.Combine(root, "target.json"));
        var corpusDir = Path.Combine(root, "corpus");
        var corpus = Directory.Exists(corpusDir)
            ? Directory.EnumerateFiles(corpusDir).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList()
            : [];
        var mapPath = Path.Combine(manifest.Directory, BranchMap.FileName);
        var map = File.Exists(mapPath) ? BranchMap.Load(mapPath) : BranchMap.Build(manifest.Directory, manifest.Assemblies);
        var twin = Path.Combine(Path.GetTempPath(), "agentkit-questions-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var runner = new BlockCoverageRunner(BlockModeTarget.ForCampaign(manifest, twin), options.ExecTimeout);
            var covered = corpus.Select(input => (input, (IReadOnlySet<int>)runner.Run(input).Blocks)).ToList();
            return Build(map, new CodeSlicer(manifest.Directory), covered, options);
        }
        finally
        {
            try { Directory.Delete(twin, recursive: true); } catch (IOException) { } // a worker may still hold a file
        }
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
        var ranked = new List<(FrontierBranch Branch, byte[] Seed, int Distance, int Behind)>();
        foreach (var branch in Frontier.Compute(map, covered).DistinctBy(b => b.Target.ProbeId))
        {
            var distance = new BranchDistance(map, branch.Target.ProbeId, options.CallWeight);
            // Closest input; on a tie the shorter one (less to read, less to change).
            var best = corpus.Select(c => (c.Input, Distance: distance.Nearest(c.Blocks)))
                .Where(c => c.Distance is not null)
                .OrderBy(c => c.Distance).ThenBy(c => c.Input.Length).FirstOrDefault();
            if (best.Input is not null)
                ranked.Add((branch, best.Input, best.Distance!.Value, UncoveredBehind(map, branch.Target, covered)));
        }
        // Closest first; among equally close branches, the one that opens up the most uncovered code.
        return ranked.OrderBy(r => r.Distance).ThenByDescending(r => r.Behind).Take(options.Max).Select(r =>
        {
            var (seed, base64) = Encode(r.Seed);
            return new FrontierQuestion(r.Branch.Target.ProbeId, r.Branch.From.Method,
                slicer.Slice(map, r.Branch, options.TokenBudget, options.CallerDepth), seed, base64, r.Distance, Instruction, r.Behind);
        }).ToList();
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

    private static (string Seed, bool Base64) Encode(byte[] input)
    {
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(input), false);
        }
        catch (DecoderFallbackException)
        {
            return (Convert.ToBase64String(input), true);
        }
    }
}
