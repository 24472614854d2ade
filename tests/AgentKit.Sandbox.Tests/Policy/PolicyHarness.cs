using System.Collections.Immutable;
using AgentKit.Sandbox.Compilation;
using AgentKit.Sandbox.Policy;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentKit.Sandbox.Tests.Policy;

/// <summary>
/// Compiles a snippet the way the host does (the sandbox's own <see cref="SnippetCompiler"/> settings) and runs
/// <see cref="CodePolicy"/> on it directly, without a worker process.
/// </summary>
internal static class PolicyHarness
{
    /// <summary>The framework assemblies the host compiles snippets against, denied ones included (so denied names bind and get a policy error).</summary>
    public static ImmutableArray<MetadataReference> References => SnippetCompiler.References;

    /// <summary>A plain (non-script) compilation over the same references, for looking up framework symbols.</summary>
    public static readonly CSharpCompilation Framework = CSharpCompilation.Create("policy-audit", references: References);

    /// <summary>Compiles <paramref name="code"/> as one script submission, with the sandbox's own parse and compilation options.</summary>
    public static (CSharpCompilation Compilation, SyntaxTree Tree) Compile(string code)
    {
        var tree = CSharpSyntaxTree.ParseText(code, SnippetCompiler.ParseOptions, SnippetCompiler.SnippetPath);
        var compilation = CSharpCompilation.CreateScriptCompilation("snippet-0", tree, References, SnippetCompiler.Options);
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
