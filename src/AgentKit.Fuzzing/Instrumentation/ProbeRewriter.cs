using dnlib.DotNet;
using dnlib.DotNet.Emit;

namespace AgentKit.Fuzzing.Instrumentation;

/// <summary>
/// Finds SharpFuzz probes in instrumented IL (<c>ldsfld Trace::SharedMem; ldc.i4 id; …; ldc.i4 id&gt;&gt;1; stsfld Trace::PrevLocation</c>)
/// and, where an id is already taken, rewrites both constants to a free id. SharpFuzz draws ids without knowing about
/// other assemblies, so separately instrumented assemblies collide; this makes ids unique across the set, as long as the
/// 64 KiB map has free ids (a target with more probes than that, such as Jint, keeps its surplus collisions).
/// Also collects the string literals of the target as dictionary tokens.
/// </summary>
internal static class ProbeRewriter
{
    public static (List<Probe> Probes, List<string> Literals) Process(IReadOnlyList<string> assemblyPaths, Random random)
    {
        var used = new HashSet<int>();
        var probes = new List<Probe>();
        var literals = new List<string>();
        foreach (var path in assemblyPaths)
        {
            var module = ModuleDefMD.Load(File.ReadAllBytes(path));
            var changed = false;
            var fileName = Path.GetFileName(path);
            foreach (var type in module.GetTypes())
            {
                foreach (var method in type.Methods.Where(m => m.HasBody))
                {
                    var instructions = method.Body.Instructions;
                    for (var i = 0; i + 1 < instructions.Count; i++)
                    {
                        if (instructions[i].OpCode == OpCodes.Ldstr && instructions[i].Operand is string literal)
                            literals.Add(literal);
                        if (!BranchMap.IsTraceField(instructions[i], Code.Ldsfld, "SharedMem") || !instructions[i + 1].IsLdcI4())
                            continue;
                        var id = instructions[i + 1].GetLdcI4Value();
                        if (!used.Add(id) && FreeId(used, random) is var fresh and >= 0)
                        {
                            SetLdcI4(instructions[i + 1], fresh);
                            var store = FindPrevLocationStore(instructions, i);
                            if (store > 0 && instructions[store - 1].IsLdcI4())
                                SetLdcI4(instructions[store - 1], fresh >> 1);
                            id = fresh;
                            changed = true;
                        }
                        probes.Add(new Probe(id, fileName, method.FullName, instructions[i].Offset));
                    }
                }
            }

            if (changed)
            {
                using var output = new MemoryStream();
                module.Write(output);
                module.Dispose();
                File.WriteAllBytes(path, output.ToArray());
            }
            else
            {
                module.Dispose();
            }
        }
        return (probes, literals);
    }

    // Mutate in place: branch targets and handlers refer to instruction objects, so replacing them would break the body.
    private static void SetLdcI4(Instruction instruction, int value)
    {
        instruction.OpCode = OpCodes.Ldc_I4;
        instruction.Operand = value;
    }

    private static int FindPrevLocationStore(IList<Instruction> instructions, int start)
    {
        for (var j = start + 2; j < Math.Min(instructions.Count, start + 24); j++)
            if (BranchMap.IsTraceField(instructions[j], Code.Stsfld, "PrevLocation"))
                return j;
        return -1;
    }

    /// <summary>An unused id, or -1 when all 65536 are taken (a very large target: it then keeps colliding ids, as afl does).</summary>
    private static int FreeId(HashSet<int> used, Random random)
    {
        if (used.Count >= 65536)
            return -1;
        int id;
        do
            id = random.Next(65536);
        while (!used.Add(id));
        return id;
    }
}
