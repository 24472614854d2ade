using AgentKit.Fuzzing.Afl;
using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Execution;

namespace AgentKit.Fuzzing.LanguageModel;

/// <summary>
/// What an <see cref="LmSeeder"/> needs from an afl campaign. afl's workers cannot be handed inputs, so the LM inputs
/// run on the round's block-mode twin instead: those that cover a block the corpus snapshot (our <c>corpus/</c> plus
/// every instance's queue) does not are written into <c>corpus/</c>, which afl's main instance imports as its foreign
/// sync directory (<c>-F</c>) at its next sync. Crashes and hangs on the twin are saved as the campaign's findings.
/// Execs and the last gain come from afl's <c>fuzzer_stats</c> (<see cref="Observe"/>).
/// </summary>
internal sealed class AflLmHost : ILmHost
{
    private readonly Lock _gate = new();
    private readonly CampaignDirectory _directory;
    private readonly IReadOnlyList<string> _instanceDirs;
    private readonly AflForeignFolder _foreign;
    private readonly LmTally _tally;
    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly List<byte[]> _kept = [];
    private List<byte[]> _snapshot = [];
    private long _execs, _execsAtLastGain;
    private int _edges;

    /// <summary>A host for the afl instances in <paramref name="instanceDirs"/> of the campaign in <paramref name="directory"/>.</summary>
    public AflLmHost(CampaignDirectory directory, IReadOnlyList<string> instanceDirs, LmTally tally, TimeProvider time)
    {
        _directory = directory;
        _instanceDirs = instanceDirs;
        _foreign = new AflForeignFolder(directory.CorpusDir);
        _tally = tally;
        _time = time;
        _start = time.GetTimestamp();
    }

    /// <summary>Campaign seconds of the first crash an LM input caused on the twin (null: none).</summary>
    public double? FirstCrashSeconds { get; private set; }

    /// <summary>LM inputs written for afl to import.</summary>
    public int Written { get; private set; }

    /// <inheritdoc />
    public double Elapsed => _time.GetElapsedTime(_start).TotalSeconds;

    /// <inheritdoc />
    public long Execs => Interlocked.Read(ref _execs);

    /// <inheritdoc />
    public long ExecsAtLastGain => Interlocked.Read(ref _execsAtLastGain);

    /// <summary>Always 0: <see cref="Offer"/> runs its inputs before it returns.</summary>
    public int LmOutstanding => 0;

    /// <summary>afl runs its seeds in its own dry run; until its queue exists a snapshot has no frontier, and a round waits for one anyway.</summary>
    public bool SeedsPending => false;

    /// <summary>Takes the instances' figures (the campaign's monitor calls it as afl rewrites its stats): a gain is more edges.</summary>
    public void Observe(IReadOnlyList<AflStats> stats)
    {
        if (stats.Count == 0)
            return;
        var execs = stats.Sum(s => s.ExecsDone);
        Interlocked.Exchange(ref _execs, execs);
        var edges = stats.Max(s => s.EdgesFound);
        if (edges > _edges)
        {
            _edges = edges;
            Interlocked.Exchange(ref _execsAtLastGain, execs);
        }
    }

    /// <summary>Our corpus and every instance's queue, read now (distinct by content); remembered as what <see cref="Offer"/> judges against.</summary>
    public List<byte[]> CorpusSnapshot()
    {
        var files = Directory.EnumerateFiles(_directory.CorpusDir).Where(f => !Path.GetFileName(f).StartsWith('.'))
            .Concat(_instanceDirs.Select(d => Path.Combine(d, "queue")).Where(Directory.Exists).SelectMany(q => Directory.EnumerateFiles(q, "id:*")));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var snapshot = new List<byte[]>();
        foreach (var file in files)
        {
            byte[] input;
            try
            {
                input = File.ReadAllBytes(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // renamed or removed by afl or a writer this instant
            }
            if (input.Length > 0 && seen.Add(CampaignDirectory.Hash(input)))
                snapshot.Add(input);
        }
        _snapshot = snapshot;
        return snapshot.ToList();
    }

    /// <summary>
    /// Runs each input on <paramref name="twin"/>; one that covers a block the last snapshot (and the inputs kept before it)
    /// does not is written for afl and kept. A crash or hang is saved as a finding and not handed to afl.
    /// </summary>
    public void Offer(IReadOnlyList<byte[]> inputs, FrontierQuestioner twin)
    {
        var covered = _snapshot.SelectMany(twin.Blocks).ToHashSet(); // cached on the twin since the round's questions
        foreach (var input in inputs)
        {
            var run = twin.Run(input);
            if (run.Finding)
            {
                _tally.Tried(addedCoverage: false);
                SaveFinding(input, run);
                continue;
            }
            var added = run.Blocks.Any(b => !covered.Contains(b));
            _tally.Tried(added);
            if (!added)
                continue;
            covered.UnionWith(run.Blocks);
            _foreign.Write(input);
            Written++;
            lock (_gate)
                _kept.Add(input);
        }
    }

    /// <inheritdoc />
    public List<byte[]> TakeLmKept()
    {
        lock (_gate)
        {
            var kept = _kept.ToList();
            _kept.Clear();
            return kept;
        }
    }

    /// <summary>A crash (new signature) into <c>crashes/</c> as the builtin engine names it, a hang into <c>hangs/</c>.</summary>
    private void SaveFinding(byte[] input, BlockRun run)
    {
        if (run.Kind == "hang")
        {
            _directory.SaveHang(input);
            return;
        }
        var (kind, signature) = run.Kind == "crash"
            ? (CrashSignature.KindOf(run.ExceptionType!), CrashSignature.ForException(run.ExceptionType!, run.StackTrace ?? ""))
            : CrashSignature.ForDeath(run.ExitCode, run.StackTrace ?? "");
        var known = _directory.ReadCrashes().ToList();
        if (known.Any(c => c.Signature == signature))
            return;
        var id = $"crash-{known.Count + 1:D4}-{CampaignDirectory.Hash(input)[..8]}";
        var seconds = Math.Round(Elapsed, 3);
        _directory.SaveCrash(id, input, new CrashRecord(id, kind, signature, run.ExceptionType, run.Message, run.StackTrace,
            run.ExitCode, input.Length, input.Length, seconds));
        FirstCrashSeconds ??= seconds;
    }
}
