using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Shared;

namespace AgentKit.Tools.FuzzRunner;

/// <summary>
/// The in-process mode's fuzz loop, inside the worker: picks a corpus entry, mutates it, runs the mutant and judges its
/// coverage here, so an input crosses the pipe only when it added coverage in this worker or crashed along a new path.
/// Before each run the input is written to the in-flight file (<see cref="InFlightLayout"/>): when it kills or hangs
/// this process, the engine reads it from there.
/// </summary>
internal sealed unsafe class FuzzLoop : IDisposable
{
    private readonly Harness _harness;
    private readonly byte* _map;
    private readonly Random _random;
    private readonly Mutator _mutator;
    private readonly Func<byte[]?> _spliceSource;
    private readonly Corpus _corpus = new();
    private readonly CoverageMap _coverage = new();
    // afl's "unique crash": a crash is reported when its path sets a bucket no earlier crash set, so a repeated crash
    // costs neither its stack trace text nor a pipe write.
    private readonly CoverageMap _crashCoverage = new();
    private readonly (ushort Index, byte Count)[] _hits = new (ushort, byte)[WorkerProtocol.MapSize];
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _inFlight;
    private readonly int _maxInputBytes;
    private long _started;
    // Time inside the target (map clear included) this slice: what no engine can save, so the engine's own overhead
    // is the rest of the slice.
    private long _targetTicks;

    private FuzzLoop(Harness harness, byte* map, int seed, int maxInputBytes, string inFlightPath, IReadOnlyList<byte[]> dictionary)
    {
        _harness = harness;
        _map = map;
        _random = new Random(seed);
        _maxInputBytes = maxInputBytes;
        _mutator = new Mutator(_random, dictionary, maxInputBytes);
        _spliceSource = () => _corpus.Count > 1 ? _corpus.Entries[_random.Next(_corpus.Count)].Data : null;
        _file = MemoryMappedFile.CreateFromFile(inFlightPath, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, InFlightLayout.FileSize(maxInputBytes));
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _inFlight = pointer + _view.PointerOffset;
    }

    /// <summary>Reads a <see cref="WorkerProtocol.FuzzSetup"/> request (after its tag) and builds the loop.</summary>
    public static FuzzLoop Setup(Harness harness, byte* map, BinaryReader reader)
    {
        var seed = reader.ReadInt32();
        var maxInputBytes = reader.ReadInt32();
        var path = WorkerProtocol.ReadString(reader);
        var tokens = new byte[reader.ReadInt32()][];
        for (var i = 0; i < tokens.Length; i++)
            tokens[i] = WorkerProtocol.ReadBytes(reader);
        return new FuzzLoop(harness, map, seed, maxInputBytes, path, tokens);
    }

    /// <summary>
    /// Reads a <see cref="WorkerProtocol.FuzzSlice"/> request (after its tag): adds the engine's new corpus entries,
    /// then fuzzes for the requested time, writing a <see cref="WorkerProtocol.Found"/> event per find and one
    /// <see cref="WorkerProtocol.SliceEnd"/>.
    /// </summary>
    public void RunSlice(BinaryReader reader, BinaryWriter writer)
    {
        var milliseconds = reader.ReadInt32();
        var entries = reader.ReadInt32();
        for (var i = 0; i < entries; i++)
        {
            var data = WorkerProtocol.ReadBytes(reader);
            var hits = WorkerProtocol.ReadHits(reader);
            // The engine's entries (seeds, the other workers' finds, and this worker's own coming back) join the
            // local map, so their coverage is not reported again; identical bytes are kept once.
            var added = _coverage.Merge(hits);
            _corpus.Add(new CorpusEntry(data, hits.Length, added, 0));
        }

        var end = Stopwatch.GetTimestamp() + milliseconds * Stopwatch.Frequency / 1000;
        long execs = 0;
        while (_corpus.Count > 0 && Stopwatch.GetTimestamp() < end)
        {
            var parent = _corpus.Pick(_random);
            var mutants = _corpus.Mutants(parent);
            for (var i = 0; i < mutants && (i % 16 != 15 || Stopwatch.GetTimestamp() < end); i++)
            {
                RunAndJudge(_mutator.Mutate(parent.Data, _spliceSource), writer);
                execs++;
            }
        }
        writer.Write(WorkerProtocol.SliceEnd);
        writer.Write(execs);
        writer.Write((long)(_targetTicks * (1e9 / Stopwatch.Frequency)));
        _targetTicks = 0;
    }

    private void RunAndJudge(byte[] input, BinaryWriter writer)
    {
        WriteInFlight(input);
        var started = Stopwatch.GetTimestamp();
        var crash = ServeLoop.Execute(_harness, _map, input);
        _targetTicks += Stopwatch.GetTimestamp() - started;
        // Most inputs add nothing: say so from the map itself before listing its cells.
        if (crash is null && !_coverage.HasNew(new ReadOnlySpan<byte>(_map, WorkerProtocol.MapSize)))
            return;
        var count = ServeLoop.Scan(_map, _hits);
        var hits = _hits.AsSpan(0, count);
        var added = _coverage.Merge(hits);
        var newCrash = crash is not null && _crashCoverage.Merge(hits) > 0;
        if (added == 0 && !newCrash)
            return;
        if (added > 0)
            _corpus.Add(new CorpusEntry(input, count, added, 0));
        writer.Write(WorkerProtocol.Found);
        WorkerProtocol.WriteBytes(writer, input);
        ServeLoop.WriteResult(writer, hits, crash);
        writer.Flush(); // now: if a later input kills this process, the engine still gets this one
        // Reporting (a first stack trace can take a while) is progress too: the watchdog must not blame this input.
        Volatile.Write(ref *(long*)(_inFlight + InFlightLayout.CounterOffset), ++_started);
    }

    private void WriteInFlight(byte[] input)
    {
        var length = Math.Min(input.Length, _maxInputBytes); // mutants never exceed it; a guard for the mapping
        *(int*)(_inFlight + InFlightLayout.LengthOffset) = length;
        input.AsSpan(0, length).CopyTo(new Span<byte>(_inFlight + InFlightLayout.DataOffset, length));
        // The counter last: the engine's watchdog reads "one more input started" only once the input is in place.
        Volatile.Write(ref *(long*)(_inFlight + InFlightLayout.CounterOffset), ++_started);
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
