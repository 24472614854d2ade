using AgentKit.Sandbox.Confinement;
using AgentKit.Sandbox.Pool;

namespace AgentKit.Sandbox.Tests.Pool;

/// <summary>
/// Every sandbox a process starts writes the worker's seccomp filter file; a worker of another sandbox may be reading
/// it at that moment (bwrap through fd 3), so a new launch must never rewrite it in place. The test works in a folder
/// of its own: damaging the process's real filter file would make workers other tests start meanwhile die with EINVAL.
/// </summary>
public sealed class SeccompFileTests
{
    [Fact]
    public void Launches_leave_the_filter_file_a_starting_worker_reads_as_it_is()
    {
        var directory = Directory.CreateTempSubdirectory("agentkit-seccomp-test-").FullName;
        try
        {
            WriteAndDamage(directory);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void WriteAndDamage(string directory)
    {
        if (SeccompFilter.ForCurrentArchitecture() is not { } program)
        {
            Assert.Null(WorkerLaunch.WriteSeccompFilter(directory)); // no filter for this architecture: nothing written
            return;
        }
        var path = WorkerLaunch.WriteSeccompFilter(directory)!;
        Assert.Equal(program, File.ReadAllBytes(path));
        // A worker starting now has the file open.
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var written = File.GetLastWriteTimeUtc(path);

        // Many launches at once, one of them after the file was damaged: each gets a whole filter, the open one stays whole.
        Parallel.For(0, 16, i => Assert.Equal(path, WorkerLaunch.WriteSeccompFilter(directory)));
        Assert.Equal(written, File.GetLastWriteTimeUtc(path)); // not rewritten: the bytes were already the filter
        File.WriteAllBytes(path, program[..8]);
        Parallel.For(0, 16, i => Assert.Equal(path, WorkerLaunch.WriteSeccompFilter(directory)));

        Assert.Equal(program, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "seccomp.bpf.*.tmp"));
        var seen = new byte[program.Length + 1];
        Assert.Equal(8, reader.Read(seen)); // the reader's file is the one it opened, however it was changed since
    }
}
