using System.Buffers.Binary;
using AgentKit.Fuzzing.Engine;

namespace AgentKit.Fuzzing.Tests.Engine;

public sealed class AflSyncDirectoryTests
{
    private static string NewSyncDir() => Directory.CreateTempSubdirectory("agentkit-sync-").FullName;

    [Fact]
    public void Exports_are_numbered_from_zero_without_gaps_once_each_and_survive_a_restart()
    {
        var root = NewSyncDir();
        var sync = new AflSyncDirectory(root, "agentkit");

        Assert.True(sync.Export("a"u8.ToArray(), 0.5));
        Assert.False(sync.Export("a"u8.ToArray(), 0.6)); // the same bytes again
        Assert.False(sync.Export([], 0.7)); // afl skips empty files
        Assert.True(sync.Export("b"u8.ToArray(), 1.25));

        var names = Directory.GetFiles(Path.Combine(root, "agentkit", "queue")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["id:000000,time:500,op:agentkit", "id:000001,time:1250,op:agentkit"], names);

        var resumed = new AflSyncDirectory(root, "agentkit");
        Assert.Equal(2, resumed.Exported);
        Assert.False(resumed.Export("b"u8.ToArray(), 2));
        Assert.True(resumed.Export("c"u8.ToArray(), 2));
        Assert.True(File.Exists(Path.Combine(root, "agentkit", "queue", "id:000002,time:2000,op:agentkit")));
    }

    [Fact]
    public void Imports_each_other_instances_queue_once_in_id_order_and_keeps_afl_marks()
    {
        var root = NewSyncDir();
        var queue = Directory.CreateDirectory(Path.Combine(root, "main", "queue")).FullName;
        File.WriteAllText(Path.Combine(queue, "id:000000,time:0,execs:0,orig:seed"), "seed");
        File.WriteAllText(Path.Combine(queue, "id:000001,src:000000,time:10,execs:50,op:havoc,rep:2,+cov"), "found");
        File.WriteAllText(Path.Combine(queue, "id:000002,src:000000,time:11,execs:51,op:havoc,rep:2"), ""); // empty: skipped
        Directory.CreateDirectory(Path.Combine(queue, ".state")); // afl's own bookkeeping
        File.WriteAllText(Path.Combine(queue, ".id:000003.tmp"), "half-written");
        Directory.CreateDirectory(Path.Combine(root, "no-queue-yet"));
        Directory.CreateDirectory(Path.Combine(root, ".hidden", "queue"));
        var sync = new AflSyncDirectory(root, "agentkit");
        sync.Export("mine"u8.ToArray(), 0);

        var first = sync.ImportNew();

        Assert.Equal([("main", "seed"), ("main", "found")], first.Select(i => (i.Instance, System.Text.Encoding.UTF8.GetString(i.Data))));
        // afl's own mark format: the next id to read, u32 little-endian, in OUR_DIR/.synced/OTHER.
        var mark = File.ReadAllBytes(Path.Combine(root, "agentkit", ".synced", "main"));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(mark));
        Assert.Empty(sync.ImportNew());

        File.WriteAllText(Path.Combine(queue, "id:000003,sync:other,src:000007"), "later");
        Assert.Equal(["later"], new AflSyncDirectory(root, "agentkit").ImportNew().Select(i => System.Text.Encoding.UTF8.GetString(i.Data)));
    }

    [Theory]
    [InlineData("agentkit", true)]
    [InlineData("host-2_b", true)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    [InlineData("main node", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", false)]
    public void Instance_names_follow_afl(string name, bool valid) => Assert.Equal(valid, AflSyncDirectory.IsValidInstanceName(name));
}
