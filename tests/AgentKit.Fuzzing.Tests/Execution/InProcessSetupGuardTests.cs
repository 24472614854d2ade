using System.Text;
using AgentKit.Fuzzing.Execution;

namespace AgentKit.Fuzzing.Tests.Execution;

[Collection("campaigns")]
public sealed class InProcessSetupGuardTests
{
    private static readonly (byte[], ExecResult)[] NoFinds = [];

    private static FuzzSliceResult BeforeAnyInput(ExecKind kind = ExecKind.Died) =>
        new(NoFinds, 0, new ExecResult(kind, [], ExitCode: kind == ExecKind.Died ? 134 : null, Stderr: "Unhandled exception. System.IO.IOException: no map\n   at Setup"), null);

    private static FuzzSliceResult Ran(long execs) => new(NoFinds, execs, null, null);

    [Fact]
    public void The_third_worker_in_a_row_that_ends_before_its_first_input_stops_the_campaign_with_the_reason()
    {
        var guard = new InProcessSetupGuard();
        guard.Check(BeforeAnyInput());
        guard.Check(BeforeAnyInput());
        guard.Check(Ran(500)); // a slice that ran inputs: bad luck, not a broken setup
        guard.Check(BeforeAnyInput());
        guard.Check(BeforeAnyInput());

        var error = Assert.Throws<InvalidOperationException>(() => guard.Check(BeforeAnyInput()));

        Assert.Contains("died (exit code 134) 3 times in a row before running any input: Unhandled exception. System.IO.IOException: no map;", error.Message);
        Assert.Contains("--mode out-of-process", error.Message);
        var hung = new InProcessSetupGuard();
        hung.Check(BeforeAnyInput(ExecKind.Hang));
        hung.Check(BeforeAnyInput(ExecKind.Hang));
        Assert.Contains("worker hung 3 times", Assert.Throws<InvalidOperationException>(() => hung.Check(BeforeAnyInput(ExecKind.Hang))).Message);
    }

    [Fact]
    public void A_death_with_an_input_in_flight_is_the_input_s_fault_not_the_setup_s()
    {
        var guard = new InProcessSetupGuard();
        var culprit = new FuzzSliceResult(NoFinds, 0, new ExecResult(ExecKind.Died, [], ExitCode: 134), Encoding.UTF8.GetBytes("(((("));
        for (var i = 0; i < 2 * InProcessSetupGuard.Limit; i++)
            guard.Check(culprit);
    }

    [Fact]
    public void A_worker_whose_fuzz_loop_cannot_set_up_ends_its_slice_before_any_input_and_the_guard_counts_it()
    {
        var (_, dir) = ToyTarget.Prepare("setup-dies");
        var launch = new WorkerLaunch(FuzzCampaign.DefaultRunnerPath, Path.Combine(dir, "target.json"), 256, TimeSpan.FromSeconds(60));
        // An in-flight file sized for 256-byte inputs cannot be mapped for 400 000-byte ones: the loop's setup throws.
        using var small = new InFlightInput(256);
        var guard = new InProcessSetupGuard();
        for (var i = 0; i < InProcessSetupGuard.Limit; i++)
        {
            using var worker = new WorkerProcess(launch, TimeProvider.System);
            worker.StartFuzzing(1, 400_000, small, []);
            var slice = worker.FuzzSlice(TimeSpan.FromSeconds(5), [(Encoding.UTF8.GetBytes("x"), [])], TimeSpan.FromSeconds(5), small);

            Assert.NotNull(slice.Ended);
            Assert.Null(slice.EndedInput);
            Assert.Equal(0, slice.Execs);
            if (i < InProcessSetupGuard.Limit - 1)
                guard.Check(slice);
            else
                Assert.Contains("before running any input", Assert.Throws<InvalidOperationException>(() => guard.Check(slice)).Message);
        }
    }
}
