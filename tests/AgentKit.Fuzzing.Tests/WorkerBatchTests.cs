using System.Text;
using AgentKit.Fuzzing.Execution;

namespace AgentKit.Fuzzing.Tests;

[Collection("campaigns")]
public sealed class WorkerBatchTests
{
    [Fact]
    public void A_batch_reports_each_input_and_stops_exactly_at_the_one_that_kills_or_hangs_the_worker()
    {
        var (_, dir) = ToyTarget.Prepare("batch");
        var launch = new WorkerLaunch(FuzzCampaign.DefaultRunnerPath, Path.Combine(dir, "target.json"), 256, TimeSpan.FromSeconds(60));
        static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

        using (var worker = new WorkerProcess(launch, TimeProvider.System))
        {
            var results = worker.ExecuteBatch([B("a=1\n"), B("key=!x\n"), B("nonsense"), B(new string('(', 300_000)), B("b=2\n")], TimeSpan.FromSeconds(5));
            Assert.Equal([ExecKind.Ok, ExecKind.Crash, ExecKind.Ok, ExecKind.Died], results.Select(r => r.Kind));
            Assert.Equal("System.DivideByZeroException", results[1].ExceptionType);
            Assert.Contains("Stack overflow", results[3].Stderr, StringComparison.Ordinal);
            Assert.NotEmpty(results[0].Hits);
        }

        using (var worker = new WorkerProcess(launch, TimeProvider.System))
        {
            // Each input has its own timeout: the hang is the one in flight when time runs out, not the batch as a whole.
            var results = worker.ExecuteBatch([B("a=1\n"), B("~~\n"), B("b=2\n")], TimeSpan.FromMilliseconds(300));
            Assert.Equal([ExecKind.Ok, ExecKind.Hang], results.Select(r => r.Kind));
        }
    }
}
