using dnlib.DotNet;
using dnlib.DotNet.Emit;
using dnlib.DotNet.Writer;
using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Rebuilds the uninstrumented IL of an instrumented assembly: every SharpFuzz probe (<c>ldsfld Trace::SharedMem</c> …
/// <c>stsfld Trace::PrevLocation</c>) is removed, branches and handlers aimed at a probe move to the code after it.
/// The campaign folder only holds the instrumented copies; this gives the decompiler the code the user wrote, and keeps
/// for every surviving instruction its offset in the instrumented body (where <see cref="BranchBlock"/> offsets live).
/// </summary>
internal sealed class ProbeStripper
{
    private readonly Dictionary<string, (uint Rid, SortedList<uint, uint> Offsets)> _methods = new(StringComparer.Ordinal);

    private ProbeStripper(byte[] image) => Image = image;

    /// <summary>The stripped assembly (method tokens as in the instrumented one).</summary>
    public byte[] Image { get; }

    /// <summary>Strips the instrumented assembly at <paramref name="path"/>.</summary>
    public static ProbeStripper Strip(string path)
    {
        using var module = ModuleDefMD.Load(File.ReadAllBytes(path));
        var offsets = new Dictionary<string, (uint, SortedList<uint, uint>)>(StringComparer.Ordinal);
        var kept = new List<(MethodDef Method, List<(Instruction Instruction, uint Instrumented)> Survivors)>();
        foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
            kept.Add((method, StripBody(method.Body)));
        var output = new MemoryStream();
        module.Write(output, new ModuleWriterOptions(module) { MetadataOptions = { Flags = MetadataFlags.PreserveAll } });
        var stripper = new ProbeStripper(output.ToArray());
        foreach (var (method, survivors) in kept)
        {
            method.Body.UpdateInstructionOffsets();
            var map = new SortedList<uint, uint>();
            foreach (var (instruction, instrumented) in survivors)
                map[instrumented] = instruction.Offset;
            stripper._methods.TryAdd(method.FullName, (method.Rid, map));
        }
        return stripper;
    }

    /// <summary>Row id of <paramref name="methodFullName"/>'s definition, or null when the assembly has no such method body.</summary>
    public uint? MethodRid(string methodFullName) => _methods.TryGetValue(methodFullName, out var m) ? m.Rid : null;

    /// <summary>
    /// Offset, in the stripped body, of the last instruction that starts before <paramref name="instrumentedEnd"/> in the
    /// instrumented body (the branch that ends a block), or null when the method is unknown.
    /// </summary>
    public uint? LastInstructionBefore(string methodFullName, uint instrumentedEnd)
    {
        if (!_methods.TryGetValue(methodFullName, out var m))
            return null;
        uint? found = null;
        foreach (var (instrumented, stripped) in m.Offsets)
        {
            if (instrumented >= instrumentedEnd)
                break;
            found = stripped;
        }
        return found;
    }

    private static List<(Instruction, uint)> StripBody(CilBody body)
    {
        var instructions = body.Instructions;
        var removed = new Dictionary<Instruction, Instruction>();
        var survivors = new List<(Instruction, uint)>();
        for (var i = 0; i < instructions.Count; i++)
        {
            var end = BranchMap.ProbeAt(instructions, i) is null ? -1 : ProbeEnd(instructions, i);
            if (end < 0 || end + 1 >= instructions.Count)
            {
                survivors.Add((instructions[i], instructions[i].Offset));
                continue;
            }
            for (var j = i; j <= end; j++)
                removed[instructions[j]] = instructions[end + 1];
            i = end;
        }
        if (removed.Count == 0)
            return survivors;
        Instruction Redirect(Instruction target) => removed.TryGetValue(target, out var next) ? next : target;
        foreach (var instruction in instructions)
            instruction.Operand = instruction.Operand switch
            {
                Instruction target => Redirect(target),
                Instruction[] targets => targets.Select(Redirect).ToArray(),
                var other => other,
            };
        foreach (var handler in body.ExceptionHandlers)
        {
            handler.TryStart = handler.TryStart is null ? null : Redirect(handler.TryStart);
            handler.TryEnd = handler.TryEnd is null ? null : Redirect(handler.TryEnd);
            handler.HandlerStart = handler.HandlerStart is null ? null : Redirect(handler.HandlerStart);
            handler.HandlerEnd = handler.HandlerEnd is null ? null : Redirect(handler.HandlerEnd);
            handler.FilterStart = handler.FilterStart is null ? null : Redirect(handler.FilterStart);
        }
        var keep = survivors.Select(s => s.Item1).ToList();
        instructions.Clear();
        foreach (var instruction in keep)
            instructions.Add(instruction);
        return survivors;
    }

    private static int ProbeEnd(IList<Instruction> instructions, int start)
    {
        for (var j = start + 2; j < Math.Min(instructions.Count, start + 24); j++)
            if (BranchMap.IsTraceField(instructions[j], Code.Stsfld, "PrevLocation"))
                return j;
        return -1;
    }
}
