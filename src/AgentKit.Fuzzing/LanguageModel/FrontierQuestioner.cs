using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Execution;
using AgentKit.Fuzzing.Guidance;
using AgentKit.Fuzzing.Instrumentation;
using AgentKit.Fuzzing.Shared;

namespace AgentKit.Fuzzing.LanguageModel;

/// <summary>
/// Frontier questions for a running campaign, cheap to rebuild each round: the branch map, the code slicer (its
/// decompilers) and a block-mode twin with its worker are made once, and each corpus input runs on the twin once
/// (its blocks are kept by content hash). Not thread-safe: one LM round at a time.
/// </summary>
internal sealed class FrontierQuestioner : IDisposable
{
    private readonly BranchMap _map;
    private readonly CodeSlicer _slicer;
    private readonly BlockCoverageRunner _runner;
    private readonly FrontierQuestionOptions _options;
    private readonly string _twin;
    private readonly Dictionary<string, (byte[] Input, IReadOnlySet<int> Blocks)> _replayed = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> _asked = [];

    /// <summary>Builds the twin of the campaign whose <c>target.json</c> is <paramref name="manifestPath"/> and starts its worker.</summary>
    public FrontierQuestioner(string manifestPath, FrontierQuestionOptions options, int memoryLimitMb, string? runnerPath)
    {
        var manifest = TargetManifest.Load(manifestPath);
        var mapPath = Path.Combine(manifest.Directory, BranchMap.FileName);
        _map = File.Exists(mapPath) ? BranchMap.Load(mapPath) : BranchMap.Build(manifest.Directory, manifest.Assemblies);
        _slicer = new CodeSlicer(manifest.Directory);
        _options = options;
        _twin = Path.Combine(Path.GetTempPath(), "agentkit-lm-twin-" + Guid.NewGuid().ToString("N")[..8]);
        _runner = new BlockCoverageRunner(BlockModeTarget.ForCampaign(manifest, _twin), options.ExecTimeout, memoryLimitMb, runnerPath);
    }

    /// <summary>The probe blocks <paramref name="input"/> executes on the twin (run once per distinct input).</summary>
    public IReadOnlySet<int> Blocks(byte[] input) => Replayed(input).Blocks;

    /// <summary><paramref name="input"/> as a question shows it: its <see cref="TextForm"/> where that runs the same blocks, else itself.</summary>
    public byte[] Shown(byte[] input) => Replayed(input).Input;

    /// <summary><see cref="Shown"/> and <see cref="Blocks"/> of <paramref name="input"/>, replayed once per distinct input.</summary>
    private (byte[] Input, IReadOnlySet<int> Blocks) Replayed(byte[] input)
    {
        var hash = CampaignDirectory.Hash(input);
        if (!_replayed.TryGetValue(hash, out var replayed))
            _replayed[hash] = replayed = TextForm.Replay(_runner, input);
        return replayed;
    }

    /// <summary>
    /// Runs <paramref name="input"/> on the twin now, with the worker's timeout and crash capture, and keeps its blocks
    /// for <see cref="Blocks"/>: for hosts that judge model-written inputs on the twin rather than in their own workers.
    /// </summary>
    public BlockRun Run(byte[] input)
    {
        var run = _runner.Run(input);
        // Kept as it ran: a model writes text (or base64 the prompt decoded), so there is no other form to look for.
        _replayed[CampaignDirectory.Hash(input)] = (input, run.Blocks);
        return run;
    }

    /// <summary>
    /// Up to <paramref name="count"/> questions about the frontier of <paramref name="corpus"/>, the branches asked about
    /// least often first (closest first among those), and the whole frontier's target ids (to tell which an answer opened).
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired between two corpus inputs.</exception>
    public (List<FrontierQuestion> Questions, HashSet<int> Frontier) Next(IReadOnlyList<byte[]> corpus, int count, CancellationToken cancellationToken)
    {
        var covered = corpus.Select(input =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Replayed(input);
        }).ToList();
        var all = covered.SelectMany(c => c.Blocks).ToHashSet();
        var frontier = Frontier.Compute(_map, all).Select(b => b.Target.ProbeId).ToHashSet();
        // A few times more candidates than asked for, so a branch that has been asked about (and resisted) yields its turn.
        var ranked = FrontierQuestions.Build(_map, _slicer, covered, _options with { Max = count * 4 });
        var chosen = ranked.Select((q, rank) => (q, rank)).OrderBy(r => _asked.GetValueOrDefault(r.q.TargetId)).ThenBy(r => r.rank)
            .Take(count).Select(r => r.q).ToList();
        foreach (var question in chosen)
            _asked[question.TargetId] = _asked.GetValueOrDefault(question.TargetId) + 1;
        return (chosen, frontier);
    }

    /// <summary>Stops the twin's worker and deletes the twin.</summary>
    public void Dispose()
    {
        _runner.Dispose();
        try { Directory.Delete(_twin, recursive: true); } catch (IOException) { } // a worker may still hold a file
        catch (UnauthorizedAccessException) { }
    }
}
