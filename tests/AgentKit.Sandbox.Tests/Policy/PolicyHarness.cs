using System.Collections.Immutable;
using AgentKit.Sandbox.Worker.Policy;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentKit.Sandbox.Tests.Policy;

/// <summary>
/// Compiles a snippet the way the worker does (script, same parse options, usings and framework references — see
/// the worker's SnippetCompiler) and runs <see cref="CodePolicy"/> on it directly, without a worker process.
/// </summary>
internal static class PolicyHarness
{
    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Script);

    private static readonly string[] Usings =
        ["System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Text.RegularExpressions", "System.Globalization", "System.Text.Json"];

    // The worker's list, denied assemblies included, so denied names bind and get a policy error.
    private static readonly string[] FrameworkAssemblies =
    [
        "System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Collections.Concurrent", "System.Linq",
        "System.Text.RegularExpressions", "System.Runtime.Numerics", "System.Text.Json", "System.Text.Encodings.Web",
        "System.Console", "System.Memory", "System.ObjectModel", "System.Private.Uri", "System.Text.Encoding.Extensions",
        "System.Diagnostics.Process", "System.ComponentModel.Primitives", "System.Net.Http", "System.Net.Sockets",
        "System.Net.Primitives", "System.Net.NameResolution", "System.Net.Requests", "System.Net.Ping", "System.IO.Pipes",
        "System.Threading", "System.Threading.Thread", "System.Threading.ThreadPool", "System.Reflection.Emit",
        "System.Runtime.InteropServices", "System.Runtime.Loader", "System.Linq.Expressions", "System.IO.FileSystem.Watcher",
        "System.Runtime.Intrinsics", "System.Collections.NonGeneric",
    ];

    /// <summary>The framework assemblies of the running runtime, as the worker references them.</summary>
    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. FrameworkAssemblies
            .Select(name => Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, name + ".dll"))
            .Where(File.Exists)
            .Select(path => MetadataReference.CreateFromFile(path)),
    ];

    private static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary, usings: Usings, optimizationLevel: OptimizationLevel.Debug, allowUnsafe: false,
        concurrentBuild: false, metadataReferenceResolver: null, sourceReferenceResolver: null);

    /// <summary>A plain (non-script) compilation over the same references, for looking up framework symbols.</summary>
    public static readonly CSharpCompilation Framework = CSharpCompilation.Create("policy-audit", references: References);

    /// <summary>Compiles <paramref name="code"/> as one script submission.</summary>
    public static (CSharpCompilation Compilation, SyntaxTree Tree) Compile(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions, "snippet");
        var compilation = CSharpCompilation.CreateScriptCompilation("snippet-0", tree, References, Options);
        return (compilation, tree);
    }

    /// <summary>The policy's verdict on <paramref name="code"/> (null: allowed).</summary>
    public static PolicyViolation? Check(string code)
    {
        var (compilation, tree) = Compile(code);
        var syntaxErrors = tree.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(syntaxErrors.Count == 0, $"syntax error in test snippet: {string.Join("; ", syntaxErrors)}");
        return CodePolicy.Check(compilation.GetSemanticModel(tree), tree);
    }

    /// <summary>Compiler errors of <paramref name="code"/> when the policy is not asked (what would stop it without the policy).</summary>
    public static IReadOnlyList<Diagnostic> CompileErrors(string code) =>
        [.. Compile(code).Compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
}
