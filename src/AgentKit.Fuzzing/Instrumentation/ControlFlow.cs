using dnlib.DotNet;
using dnlib.DotNet.Emit;

namespace AgentKit.Fuzzing.Instrumentation;

/// <summary>
/// Basic blocks of one instrumented method body, at probe granularity: leaders are the entry, branch targets,
/// fall-throughs after branches/returns/throws, exception handler starts and every probe. Blocks without a probe
/// (SharpFuzz leaves some, e.g. after a <c>leave</c>) are folded into the probe blocks that reach them, so each
/// resulting block is identified by exactly one probe.
/// </summary>
internal static class ControlFlow
{
    /// <summary>A raw block: instruction index range, its probe id (or null) and its raw successor block indices.</summary>
    private sealed record RawBlock(int First, int Last, int? Probe, List<int> Next);

    /// <summary>The probe blocks of <paramref name="method"/>, with successors as probe ids and called methods' full names.</summary>
    public static List<(int Probe, uint Start, uint End, List<int> Successors, List<IMethod> Calls)> Blocks(MethodDef method, Func<IList<Instruction>, int, int?> probeAt)
    {
        var body = method.Body;
        var instructions = body.Instructions;
        if (instructions.Count == 0)
            return [];
        var index = new Dictionary<Instruction, int>();
        for (var i = 0; i < instructions.Count; i++)
            index[instructions[i]] = i;

        var leaders = new SortedSet<int> { 0 };
        for (var i = 0; i < instructions.Count; i++)
        {
            var ins = instructions[i];
            foreach (var target in Targets(ins))
                leaders.Add(index[target]);
            if (EndsBlock(ins) && i + 1 < instructions.Count)
                leaders.Add(i + 1);
            if (probeAt(instructions, i) is not null)
                leaders.Add(i);
        }
        foreach (var handler in body.ExceptionHandlers)
        {
            if (handler.HandlerStart is { } h) leaders.Add(index[h]);
            if (handler.FilterStart is { } f) leaders.Add(index[f]);
            if (handler.TryStart is { } t) leaders.Add(index[t]);
        }

        var starts = leaders.ToList();
        var blockOf = new int[instructions.Count];
        var raw = new List<RawBlock>();
        for (var b = 0; b < starts.Count; b++)
        {
            var last = (b + 1 < starts.Count ? starts[b + 1] : instructions.Count) - 1;
            for (var i = starts[b]; i <= last; i++)
                blockOf[i] = b;
            raw.Add(new RawBlock(starts[b], last, probeAt(instructions, starts[b]), []));
        }
        foreach (var block in raw)
        {
            var end = instructions[block.Last];
            block.Next.AddRange(Targets(end).Select(t => blockOf[index[t]]));
            if (!EndsFlow(end) && block.Last + 1 < instructions.Count)
                block.Next.Add(blockOf[block.Last + 1]);
        }
        // Any block inside a protected region may transfer to its handler (or filter).
        foreach (var handler in body.ExceptionHandlers)
        {
            var entry = handler.FilterStart ?? handler.HandlerStart;
            if (entry is null || handler.TryStart is null)
                continue;
            var tryStart = index[handler.TryStart];
            var tryEnd = handler.TryEnd is null ? instructions.Count : index[handler.TryEnd];
            foreach (var block in raw.Where(r => r.First >= tryStart && r.First < tryEnd))
                block.Next.Add(blockOf[index[entry]]);
        }

        var result = new List<(int, uint, uint, List<int>, List<IMethod>)>();
        foreach (var block in raw.Where(r => r.Probe is not null))
        {
            // Walk through probeless blocks: their calls belong to this block, their successors are ours.
            var successors = new List<int>();
            var calls = new List<IMethod>();
            var seen = new HashSet<int>();
            var pending = new Stack<int>();
            pending.Push(raw.IndexOf(block));
            while (pending.Count > 0)
            {
                var current = raw[pending.Pop()];
                if (!seen.Add(current.First))
                    continue;
                for (var i = current.First; i <= current.Last; i++)
                    if (instructions[i].OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj && instructions[i].Operand is IMethod callee)
                        calls.Add(callee);
                foreach (var next in current.Next)
                {
                    if (raw[next].Probe is { } probe)
                    {
                        if (!successors.Contains(probe))
                            successors.Add(probe);
                    }
                    else
                    {
                        pending.Push(next);
                    }
                }
            }
            var endOffset = instructions[block.Last].Offset + (uint)instructions[block.Last].GetSize();
            result.Add((block.Probe!.Value, instructions[block.First].Offset, endOffset, successors, calls));
        }
        return result;
    }

    private static IEnumerable<Instruction> Targets(Instruction instruction) => instruction.Operand switch
    {
        Instruction single when instruction.OpCode.OperandType is OperandType.InlineBrTarget or OperandType.ShortInlineBrTarget => [single],
        Instruction[] many => many,
        _ => [],
    };

    private static bool EndsBlock(Instruction instruction) =>
        instruction.OpCode.FlowControl is FlowControl.Branch or FlowControl.Cond_Branch or FlowControl.Return or FlowControl.Throw;

    private static bool EndsFlow(Instruction instruction) =>
        instruction.OpCode.FlowControl is FlowControl.Branch or FlowControl.Return or FlowControl.Throw;
}
