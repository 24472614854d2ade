using System.Diagnostics;
using AgentKit.Sandbox.Confinement;

namespace AgentKit.Sandbox.Tests.Confinement;

public sealed class ScratchRootTests
{
    [Fact]
    public void Sweep_RemovesFoldersOfDeadHosts_AndKeepsLiveOnes()
    {
        var parent = Path.Combine(Path.GetTempPath(), "agentkit-sweep-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(parent);
        try
        {
            var deadPid = Enumerable.Range(4_000_000, 1000).First(pid => !Directory.Exists($"/proc/{pid}"));
            var dead = Folder(parent, ScratchRoot.FolderName(deadPid, 12345), withFile: true);
            // Our own pid with another start time: a dead host whose pid was reused by this process.
            var reused = Folder(parent, ScratchRoot.FolderName(Environment.ProcessId, 1), withFile: false);
            var live = Path.Combine(ScratchRoot.SharedParent, Path.GetFileName(ScratchRoot.Path)); // this process's own, in the shared parent
            var legacyOld = Folder(parent, Guid.NewGuid().ToString("N"), withFile: true);
            Directory.SetLastWriteTimeUtc(legacyOld, DateTime.UtcNow.AddHours(-3));
            var legacyFresh = Folder(parent, Guid.NewGuid().ToString("N"), withFile: false);
            var self = Folder(parent, Path.GetFileName(ScratchRoot.Path), withFile: true);

            var removed = ScratchRoot.SweepDeadHosts(parent);

            Assert.Equal(3, removed);
            Assert.False(Directory.Exists(dead));
            Assert.False(Directory.Exists(reused));
            Assert.False(Directory.Exists(legacyOld));
            Assert.True(Directory.Exists(legacyFresh));
            Assert.True(Directory.Exists(self));
            Assert.True(Directory.Exists(live));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public void OwnFolder_IsNamedAfterThisProcess_AndItsStartTime()
    {
        using var self = Process.GetCurrentProcess();
        Assert.StartsWith($"host-{self.Id}-", Path.GetFileName(ScratchRoot.Path));
        Assert.Equal(ScratchRoot.SharedParent, Path.GetDirectoryName(ScratchRoot.Path));
    }

    private static string Folder(string parent, string name, bool withFile)
    {
        var path = Path.Combine(parent, name);
        Directory.CreateDirectory(path);
        if (withFile) File.WriteAllText(Path.Combine(path, "leftover.txt"), "x");
        return path;
    }
}
