using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;
using AgentKit.Fuzzing.Instrumentation;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.CSharp.OutputVisitor;
using ICSharpCode.Decompiler.CSharp.Syntax;
using ICSharpCode.Decompiler.IL;
using ICSharpCode.Decompiler.Metadata;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// C# of the code around a frontier branch: the method holding the branch, decompiled with ICSharpCode.Decompiler from
/// the probe-free IL of the instrumented copies (<see cref="ProbeStripper"/>), with the statement whose IL holds the
/// branch marked by <see cref="Marker"/>; then its callers (from the branch map's call edges) up to a depth, all
/// trimmed to a token budget that always keeps the marked line.
/// </summary>
public sealed class CodeSlicer
{
    /// <summary>The comment appended to the deciding line.</summary>
    public const string Marker = "/* TARGET: take this branch */";

    private readonly string _directory;
    private readonly Dictionary<string, (ProbeStripper Stripped, CSharpDecompiler Decompiler)> _assemblies = new(StringComparer.Ordinal);
    private readonly DecompilerSettings _settings = new() { ThrowOnAssemblyResolveErrors = false };

    /// <summary>Slices code of the instrumented assemblies in <paramref name="directory"/>.</summary>
    public CodeSlicer(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
    }

    /// <summary>
    /// The slice for <paramref name="branch"/>: its method with the deciding statement marked, then callers up to
    /// <paramref name="callerDepth"/> levels, within about <paramref name="tokenBudget"/> tokens (4 characters each).
    /// </summary>
    public string Slice(BranchMap map, FrontierBranch branch, int tokenBudget, int callerDepth)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(branch);
        var budget = tokenBudget * 4;
        var from = branch.From;
        var offset = Assembly(from.Assembly).Stripped.LastInstructionBefore(from.Method, from.EndOffset);
        var target = Trim(Decompile(from.Assembly, from.Method, offset), budget);
        var slice = new StringBuilder($"// {from.Method}\n").Append(target);
        foreach (var caller in Callers(map, from.Method, callerDepth))
        {
            var text = $"\n// caller: {caller.Method}\n" + Decompile(caller.Assembly, caller.Method, null);
            if (slice.Length + text.Length > budget)
                break;
            slice.Append(text);
        }
        return slice.ToString();
    }

    /// <summary>Decompiles <paramref name="method"/>; marks the statement holding IL offset <paramref name="markOffset"/> (stripped body).</summary>
    internal string Decompile(string assembly, string method, uint? markOffset)
    {
        var (stripped, decompiler) = Assembly(assembly);
        var rid = stripped.MethodRid(method) ?? throw new InvalidOperationException($"{method} has no body in {assembly}");
        var tree = decompiler.Decompile(MetadataTokens.MethodDefinitionHandle((int)rid));
        var writer = new StringWriter();
        tree.AcceptVisitor(new CSharpOutputVisitor(TokenWriter.CreateWriterThatSetsLocationsInAST(writer, "    "), _settings.CSharpFormattingOptions));
        var lines = writer.ToString().Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').ToList();
        if (markOffset is { } offset && MarkedLine(decompiler, tree, offset) is { } line && line >= 1 && line <= lines.Count)
            lines[line - 1] += " " + Marker;
        return string.Join('\n', lines).TrimEnd() + "\n";
    }

    private static int? MarkedLine(CSharpDecompiler decompiler, SyntaxTree tree, uint offset)
    {
        // The statement the decompiler built from the branch instruction: the innermost node whose IL annotation holds
        // it (an if/switch/loop, or one operand of a && chain inside a condition), then its nearest enclosing statement.
        bool Holds(AstNode node) => node.Annotations.OfType<ILInstruction>()
            .Any(i => i.ILRanges.Any(r => r.Start <= offset && offset < r.End));
        var deciding = tree.Descendants.Where(Holds).OrderByDescending(n => n.Ancestors.Count())
            .Select(n => n.AncestorsAndSelf.OfType<Statement>().FirstOrDefault(s => s is not BlockStatement))
            .FirstOrDefault(s => s is not null);
        if (deciding is not null && !deciding.StartLocation.IsEmpty)
            return deciding.StartLocation.Line;
        // Otherwise the sequence points of the method's own function (not a lambda's): the one whose IL span holds the
        // offset, failing that the last one starting before it.
        var points = decompiler.CreateSequencePoints(tree)
            .Where(p => p.Key.Kind == ILFunctionKind.TopLevelFunction)
            .SelectMany(p => p.Value).Where(p => !p.IsHidden).ToList();
        var holding = points.Where(p => p.Offset <= offset && offset < p.EndOffset).OrderBy(p => p.EndOffset - p.Offset).FirstOrDefault();
        var point = holding ?? points.Where(p => p.Offset <= offset).OrderByDescending(p => p.Offset).FirstOrDefault();
        return point?.StartLine;
    }

    private static string Trim(string text, int budget)
    {
        if (text.Length <= budget)
            return text;
        // Keep a window of whole lines around the marked one.
        var lines = text.Split('\n');
        var marked = Math.Max(0, Array.FindIndex(lines, l => l.Contains(Marker, StringComparison.Ordinal)));
        int first = marked, last = marked, length = lines[marked].Length + 1;
        while (true)
        {
            var grew = false;
            if (first > 0 && length + lines[first - 1].Length + 1 <= budget) { first--; length += lines[first].Length + 1; grew = true; }
            if (last < lines.Length - 1 && length + lines[last + 1].Length + 1 <= budget) { last++; length += lines[last].Length + 1; grew = true; }
            if (!grew)
                break;
        }
        return (first > 0 ? "// …\n" : "") + string.Join('\n', lines[first..(last + 1)]) + (last < lines.Length - 1 ? "\n// …\n" : "\n");
    }

    private static List<BranchBlock> Callers(BranchMap map, string method, int depth)
    {
        var entries = map.Blocks.Where(b => b.BlockIndex == 0).ToDictionary(b => b.ProbeId, b => b.Method);
        var result = new List<BranchBlock>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { method };
        var level = new List<string> { method };
        for (var d = 0; d < depth && level.Count > 0; d++)
        {
            var next = new List<string>();
            foreach (var block in map.Blocks)
                if (!seen.Contains(block.Method) && block.Callees.Any(c => entries.TryGetValue(c, out var callee) && level.Contains(callee)))
                {
                    seen.Add(block.Method);
                    next.Add(block.Method);
                    result.Add(block);
                }
            level = next;
        }
        return result;
    }

    private (ProbeStripper Stripped, CSharpDecompiler Decompiler) Assembly(string file)
    {
        if (_assemblies.TryGetValue(file, out var known))
            return known;
        var path = Path.Combine(_directory, file);
        var stripped = ProbeStripper.Strip(path);
        var module = new PEFile(path, new MemoryStream(stripped.Image), PEStreamOptions.PrefetchEntireImage);
        var resolver = new UniversalAssemblyResolver(path, false, module.DetectTargetFrameworkId());
        resolver.AddSearchDirectory(_directory);
        var decompiler = new CSharpDecompiler(module, resolver, _settings);
        return _assemblies[file] = (stripped, decompiler);
    }
}
