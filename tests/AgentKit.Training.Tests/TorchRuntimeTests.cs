using AgentKit.Training.Build;
using TorchSharp;

namespace AgentKit.Training.Tests;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void Torch_initialises_and_computes()
    {
        using var a = torch.ones(2, 3);
        using var b = torch.ones(3, 2);
        Assert.Equal(3f, torch.mm(a, b)[0, 0].item<float>());
    }

    private static string CopiedNativeLibrary() =>
        new[] { "libLibTorchSharp.so", "runtimes/linux-x64/native/libLibTorchSharp.so" }
            .Select(p => Path.Combine(AppContext.BaseDirectory, p)).First(File.Exists);

    [Fact]
    public void Build_step_marked_the_unmet_glibcxx_requirement_weak_only_if_the_system_lacks_it()
    {
        var requirements = ElfVersions.ReadRequirements(File.ReadAllBytes(CopiedNativeLibrary()));
        var glibcxx32 = Assert.Single(requirements, r => r.Version == "GLIBCXX_3.4.32");
        Assert.Equal("libstdc++.so.6", glibcxx32.File);
        var system = ElfVersions.FindSystemLibStdCxx();
        var systemHasIt = system is not null && ElfVersions.ReadDefinitions(File.ReadAllBytes(system)).Contains("GLIBCXX_3.4.32");
        Assert.Equal(!systemHasIt, glibcxx32.IsWeak);
        // Nothing else is weak: the patch touches exactly one flag.
        Assert.All(requirements.Where(r => r.Version != "GLIBCXX_3.4.32"), r => Assert.False(r.IsWeak));
    }

    [Fact]
    public void Patcher_sets_exactly_one_flag_and_is_idempotent()
    {
        var dir = TinyFixtures.TempDir();
        var copy = Path.Combine(dir, "lib.so");
        var original = File.ReadAllBytes(CopiedNativeLibrary());
        // Undo a patch (if any) to get the file as shipped.
        foreach (var r in ElfVersions.ReadRequirements(original).Where(r => r.IsWeak))
            original[r.FlagsOffset] &= unchecked((byte)~ElfVersions.WeakFlag);
        File.WriteAllBytes(copy, original);

        // A provider that defines nothing: the requirement counts as unmet.
        var emptyProvider = Path.Combine(dir, "provider.so");
        File.WriteAllBytes(emptyProvider, original);
        var patched = ElfVersions.MarkUnmetWeak(copy, ["GLIBCXX_3.4.32"], provider: null);
        Assert.Equal(["GLIBCXX_3.4.32"], patched);
        var after = File.ReadAllBytes(copy);
        var differing = Enumerable.Range(0, after.Length).Where(i => after[i] != original[i]).ToList();
        Assert.Single(differing);
        Assert.Empty(ElfVersions.MarkUnmetWeak(copy, ["GLIBCXX_3.4.32"], provider: null));

        File.WriteAllBytes(copy, [1, 2, 3]);
        Assert.Throws<InvalidDataException>(() => ElfVersions.MarkUnmetWeak(copy, ["GLIBCXX_3.4.32"], null));
    }
}
