using System.Text;
using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Execution;

namespace AgentKit.Fuzzing.Tests.Execution;

/// <summary>The in-process mode at the worker: slices of the worker's own fuzz loop on the toy parser.</summary>
[Collection("campaigns")]
public sealed class InProcessSliceTests
{
    // Generous: on a loaded machine a slow input must not pass for a hang (the planted one never ends).
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private static (WorkerLaunch Launch, string Dir) Launch(string name)
    {
        var (_, dir) = ToyTarget.Prepare(name);
        return (new WorkerLaunch(FuzzCampaign.DefaultRunnerPath, Path.Combine(dir, "target.json"), 256, TimeSpan.FromSeconds(60)), dir);
    }

    /// <summary>A corpus entry with the hits the out-of-process protocol reports for it.</summary>
    private static (byte[], (ushort, byte)[]) Entry(WorkerProcess worker, string text)
    {
        var result = worker.Execute(B(text), Timeout);
        Assert.Equal(ExecKind.Ok, result.Kind);
        return (B(text), result.Hits);
    }

    [Fact]
    public void Every_reported_input_has_the_coverage_the_out_of_process_worker_measures_for_it()
    {
        var (launch, _) = Launch("slice-coverage");
        using var inFlight = new InFlightInput(256);
        using var fuzzer = new WorkerProcess(launch, TimeProvider.System);
        using var reference = new WorkerProcess(launch, TimeProvider.System);
        var seed = Entry(reference, "[dxxxx]\nkey=1\n# c\n");
        fuzzer.StartFuzzing(7, 256, inFlight, [B("="), B("["), B("]")]);

        var slice = fuzzer.FuzzSlice(TimeSpan.FromSeconds(2), [seed], TimeSpan.FromSeconds(5), inFlight);

        // (A mutant may end the slice early: a repeated-byte insert can make a "~~" line, the planted hang.)
        Assert.True(slice.Execs >= 10, $"only {slice.Execs} inputs in 2 s");
        Assert.NotEmpty(slice.Found);
        Assert.True(slice.Found.Count < slice.Execs, "only finds cross the pipe, not every input");
        if (slice.Ended is null)
            Assert.InRange(slice.TargetTime, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(2.5)); // inside the 2 s slice
        var inProcess = new CoverageMap();
        var outOfProcess = new CoverageMap();
        inProcess.Merge(seed.Item2);
        outOfProcess.Merge(seed.Item2);
        foreach (var (input, result) in slice.Found)
        {
            var replay = reference.Execute(input, Timeout);
            Assert.Equal(replay.Kind, result.Kind);
            Assert.Equal(replay.Hits, result.Hits);
            // The worker judged it against the same map this test rebuilds: an Ok report adds coverage to it.
            var added = inProcess.Merge(result.Hits);
            Assert.True(added > 0 || result.Kind == ExecKind.Crash, "an Ok report that added nothing");
            outOfProcess.Merge(replay.Hits);
        }
        Assert.Equal(outOfProcess.Edges, inProcess.Edges);
        Assert.True(inProcess.Edges > seed.Item2.Length);
    }

    [Fact]
    public void A_crash_is_reported_with_its_stack_and_the_slice_goes_on()
    {
        var (launch, _) = Launch("slice-crash");
        using var inFlight = new InFlightInput(256);
        using var worker = new WorkerProcess(launch, TimeProvider.System);
        var seed = Entry(worker, "a=1\nkey=x\n");
        // '!' as a value is the planted DivideByZeroException; the dictionary makes it likely.
        worker.StartFuzzing(11, 256, inFlight, [B("!"), B("=!")]);

        var slice = worker.FuzzSlice(TimeSpan.FromSeconds(2), [seed], TimeSpan.FromSeconds(5), inFlight);

        var crashes = slice.Found.Where(f => f.Result.Kind == ExecKind.Crash).ToList();
        Assert.NotEmpty(crashes);
        Assert.All(crashes, c => Assert.Equal("System.DivideByZeroException", c.Result.ExceptionType));
        Assert.All(crashes, c => Assert.Contains("KeyValue", c.Result.StackTrace, StringComparison.Ordinal));
        // Repeats of the same crash path are not sent: far fewer reports than crashing mutants.
        Assert.True(crashes.Count < slice.Execs / 4, $"{crashes.Count} crash reports for {slice.Execs} inputs");
        if (slice.Ended is { } ended)
        {
            // A repeated-byte insert can make a "~~" line, the planted hang: that, and nothing else, may end the slice.
            Assert.Equal(ExecKind.Hang, ended.Kind);
            Assert.Contains(Encoding.UTF8.GetString(slice.EndedInput!).Split('\n'), line => line.StartsWith("~~", StringComparison.Ordinal));
            return;
        }
        // The worker lives on: a second slice runs.
        var next = worker.FuzzSlice(TimeSpan.FromMilliseconds(200), [], TimeSpan.FromSeconds(5), inFlight);
        Assert.True(next.Ended is null || next.Ended.Kind == ExecKind.Hang);
        Assert.True(next.Execs > 0);
    }

    [Fact]
    public void A_hang_or_a_death_ends_the_slice_with_the_input_in_flight()
    {
        var (launch, _) = Launch("slice-hang");
        using var inFlight = new InFlightInput(256);

        using (var worker = new WorkerProcess(launch, TimeProvider.System))
        {
            // Most mutants of "~~x" still start a line with "~~": the planted endless loop.
            var seed = (B("~~x"), Array.Empty<(ushort, byte)>());
            worker.StartFuzzing(3, 256, inFlight, []);
            var slice = worker.FuzzSlice(TimeSpan.FromSeconds(30), [seed], Timeout, inFlight);
            Assert.NotNull(slice.Ended);
            Assert.Equal(ExecKind.Hang, slice.Ended!.Kind);
            var culprit = Encoding.UTF8.GetString(slice.EndedInput!);
            Assert.Contains(culprit.Split('\n'), line => line.StartsWith("~~", StringComparison.Ordinal));
            Assert.True(slice.Execs >= 1);
        }

        using (var worker = new WorkerProcess(launch, TimeProvider.System))
        {
            // Deep nesting overflows the stack: the process dies, and the input in flight is the culprit.
            var seed = (B(new string('(', 200)), Array.Empty<(ushort, byte)>());
            using var deep = new InFlightInput(400_000);
            worker.StartFuzzing(5, 400_000, deep, [B(new string('(', 300_000))]);
            var slice = worker.FuzzSlice(TimeSpan.FromSeconds(60), [seed], TimeSpan.FromSeconds(20), deep);
            Assert.NotNull(slice.Ended);
            Assert.Equal(ExecKind.Died, slice.Ended!.Kind);
            Assert.Contains("Stack overflow", slice.Ended.Stderr, StringComparison.Ordinal);
            Assert.True(slice.EndedInput!.Count(b => b == (byte)'(') > 10_000);
        }
    }
}
