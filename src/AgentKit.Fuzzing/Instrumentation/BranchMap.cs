using System.Globalization;
using dnlib.DotNet;
using dnlib.DotNet.Emit;

namespace AgentKit.Fuzzing.Instrumentation;

/// <summary>
/// Probe id → IL location: every probe block of the instrumented assemblies with its method, IL range, CFG successors
/// and the instrumented methods it calls, read with dnlib from the instrumented copies. Saved as <c>branches.tsv</c>
/// next to <c>probes.tsv</c>. Ids are unique when the target has at most 65536 probes (the rewriter hands out free
/// ids); beyond that, <see cref="Collisions"/> counts the blocks sharing an id and <see cref="IsAmbiguous"/> names them.
/// </summary>
public sealed class BranchMap
{
    /// <summary>File name of the saved map inside an instrumented folder.</summary>
    public const string FileName = "branches.tsv";

    private const string TraceType = "SharpFuzz.Common.Trace";
    private readonly List<BranchBlock> _blocks;
    private readonly Dictionary<int, BranchBlock> _byId = new();
    private readonly HashSet<int> _ambiguous = new();

    /// <summary>Creates a map from blocks.</summary>
    public BranchMap(IEnumerable<BranchBlock> blocks)
    {
        _blocks = blocks.ToList();
        foreach (var block in _blocks)
            if (!_byId.TryAdd(block.ProbeId, block))
                _ambiguous.Add(block.ProbeId);
    }

    /// <summary>All blocks, in assembly, method and IL order.</summary>
    public IReadOnlyList<BranchBlock> Blocks => _blocks;

    /// <summary>Blocks whose probe id an earlier block already has (zero for targets under 65536 probes).</summary>
    public int Collisions => _blocks.Count - _byId.Count;

    /// <summary>The (first) block with probe <paramref name="id"/>, or null.</summary>
    public BranchBlock? Find(int id) => _byId.GetValueOrDefault(id);

    /// <summary>True when more than one block carries probe <paramref name="id"/>, so a hit on it cannot be attributed.</summary>
    public bool IsAmbiguous(int id) => _ambiguous.Contains(id);

    /// <summary>Blocks of the methods whose full name contains <paramref name="methodNamePart"/> (ordinal).</summary>
    public IEnumerable<BranchBlock> InMethod(string methodNamePart) =>
        _blocks.Where(b => b.Method.Contains(methodNamePart, StringComparison.Ordinal));

    /// <summary>Builds the map from the instrumented assemblies <paramref name="assemblyFiles"/> in <paramref name="directory"/>.</summary>
    public static BranchMap Build(string directory, IEnumerable<string> assemblyFiles)
    {
        var blocks = new List<BranchBlock>();
        var pendingCalls = new List<(int BlockIndex, List<string> Callees)>();
        var entries = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in assemblyFiles)
        {
            using var module = ModuleDefMD.Load(File.ReadAllBytes(Path.Combine(directory, file)));
            foreach (var method in module.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
            {
                var methodBlocks = ControlFlow.Blocks(method, ProbeAt);
                for (var i = 0; i < methodBlocks.Count; i++)
                {
                    var (probe, start, end, successors, calls) = methodBlocks[i];
                    if (i == 0)
                        entries.TryAdd(method.FullName, probe);
                    pendingCalls.Add((blocks.Count, calls.Select(c => c.FullName).Distinct(StringComparer.Ordinal).ToList()));
                    blocks.Add(new BranchBlock(probe, file, method.FullName, i, start, end, successors, []));
                }
            }
        }
        // Calls resolve by full name to methods of the same instrumented set (the call graph between them).
        foreach (var (blockIndex, callees) in pendingCalls)
        {
            var ids = callees.Where(entries.ContainsKey).Select(c => entries[c]).Distinct().ToList();
            if (ids.Count > 0)
                blocks[blockIndex] = blocks[blockIndex] with { Callees = ids };
        }
        return new BranchMap(blocks);
    }

    /// <summary>The probe id a SharpFuzz probe starting at instruction <paramref name="index"/> writes, or null.</summary>
    internal static int? ProbeAt(IList<Instruction> instructions, int index) =>
        index + 1 < instructions.Count && IsTraceField(instructions[index], Code.Ldsfld, "SharedMem") && instructions[index + 1].IsLdcI4()
            ? instructions[index + 1].GetLdcI4Value()
            : null;

    internal static bool IsTraceField(Instruction instruction, Code code, string field) =>
        instruction.OpCode.Code == code && instruction.Operand is IField f && f.Name == field && f.DeclaringType?.FullName == TraceType;

    /// <summary>Writes the map: probe id, assembly, block index, start, end, successors, callees (comma-separated), method.</summary>
    public void Save(string path) =>
        File.WriteAllLines(path, _blocks.Select(b => string.Join('\t',
            Int(b.ProbeId), b.Assembly, Int(b.BlockIndex), b.StartOffset.ToString(CultureInfo.InvariantCulture),
            b.EndOffset.ToString(CultureInfo.InvariantCulture), string.Join(',', b.Successors.Select(Int)),
            string.Join(',', b.Callees.Select(Int)), b.Method)));

    /// <summary>Reads a map written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">A line is malformed.</exception>
    public static BranchMap Load(string path) =>
        new(File.ReadLines(path).Where(l => l.Length > 0).Select(line =>
        {
            var p = line.Split('\t', 8);
            if (p.Length != 8)
                throw new InvalidDataException($"bad branch map line in {path}: {line}");
            return new BranchBlock(ParseInt(p[0]), p[1], p[7], ParseInt(p[2]), uint.Parse(p[3], CultureInfo.InvariantCulture),
                uint.Parse(p[4], CultureInfo.InvariantCulture), Ids(p[5]), Ids(p[6]));
        }));

    /// <summary>The map of an instrumented target: loaded from its folder, or built and saved there on first use.</summary>
    public static BranchMap For(InstrumentedTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var path = Path.Combine(target.Directory, FileName);
        if (File.Exists(path))
            return Load(path);
        var map = Build(target.Directory, target.Assemblies);
        var temporary = path + "." + Guid.NewGuid().ToString("N")[..8];
        map.Save(temporary);
        File.Move(temporary, path, overwrite: true); // atomic: a concurrent reader never sees half a file
        return map;
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int ParseInt(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static List<int> Ids(string value) => value.Length == 0 ? [] : value.Split(',').Select(ParseInt).ToList();
}
