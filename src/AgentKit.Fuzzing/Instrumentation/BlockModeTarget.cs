using dnlib.DotNet.Emit;
using AgentKit.Fuzzing.Shared;

namespace AgentKit.Fuzzing.Instrumentation;

/// <summary>
/// A block-mode twin of an instrumented target: the same copies, with every probe's <c>PrevLocation = id &gt;&gt; 1</c>
/// store rewritten to store 0, so a probe always bumps map cell <c>id ^ 0 = id</c>. The campaign keeps afl's edge
/// hashing (cell = id ^ previous id &gt;&gt; 1, which cannot be attributed to one block); the twin, run by the same
/// worker, reports exactly which probe blocks an input executed, which the frontier and distance reward need.
/// </summary>
public static class BlockModeTarget
{
    /// <summary>
    /// Writes the twin of <paramref name="target"/> into <paramref name="directory"/> (<c>target/</c> and a
    /// <c>target.json</c> for <paramref name="harness"/>); returns the path of that manifest.
    /// </summary>
    public static string Create(InstrumentedTarget target, FuzzHarness harness, string directory)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(harness);
        return ForCampaign(new TargetManifest(target.Directory, target.Assemblies, harness.Spec), directory);
    }

    /// <summary>The twin of the target a campaign's <c>target.json</c> names (see <see cref="Create"/>).</summary>
    internal static string ForCampaign(TargetManifest campaign, string directory)
    {
        var copy = Path.Combine(Path.GetFullPath(directory), "target");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(campaign.Directory))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)), overwrite: true);
        foreach (var assembly in campaign.Assemblies)
            ZeroPreviousLocation(Path.Combine(copy, assembly));
        var manifest = Path.Combine(Path.GetFullPath(directory), "target.json");
        new TargetManifest(copy, campaign.Assemblies, campaign.Harness).Save(manifest);
        return manifest;
    }

    private static void ZeroPreviousLocation(string path)
    {
        using var module = dnlib.DotNet.ModuleDefMD.Load(File.ReadAllBytes(path));
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
        {
            var instructions = method.Body.Instructions;
            for (var i = 1; i < instructions.Count; i++)
                if (BranchMap.IsTraceField(instructions[i], Code.Stsfld, "PrevLocation") && instructions[i - 1].IsLdcI4())
                {
                    // Mutate in place: branch targets refer to instruction objects.
                    instructions[i - 1].OpCode = OpCodes.Ldc_I4;
                    instructions[i - 1].Operand = 0;
                }
        }
        using var output = new MemoryStream();
        module.Write(output);
        module.Dispose();
        File.WriteAllBytes(path, output.ToArray());
    }
}
