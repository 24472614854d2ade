using System.Globalization;
using System.Text;
using AgentKit.Sandbox.Policy;
using AgentKit.Sandbox.Protocol;
using AgentKit.Sandbox.Scripting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;

namespace AgentKit.Sandbox.Compilation;

/// <summary>
/// Compiles snippets and checks the policy in the host, a process that never runs untrusted code. Workers only
/// receive images that passed here, so a snippet that corrupts its worker's memory cannot weaken the check of the
/// next one.
/// </summary>
internal static class SubmissionCompiler
{
    private static readonly EmitOptions EmitOptions = new(debugInformationFormat: DebugInformationFormat.PortablePdb);

    /// <summary>
    /// Compiles <paramref name="code"/> as the next submission on top of <paramref name="previous"/>
    /// (null: the first of a chain). Code the sandbox generated itself is <paramref name="trusted"/> and skips the policy.
    /// </summary>
    public static (CompiledSubmission? Submission, CompileFailure? Failure) Compile(
        string code, CompiledSubmission? previous, bool trusted, CancellationToken cancellationToken)
    {
        var index = previous is null ? 0 : previous.Index + 1;
        var tree = CSharpSyntaxTree.ParseText(code, SnippetCompiler.ParseOptions, SnippetCompiler.SnippetPath, Encoding.UTF8, cancellationToken);
        if (FirstError(tree.GetDiagnostics(cancellationToken)) is { } syntaxError) return (null, syntaxError);

        // Names only need to be unique within one chain: each script context is a load context of its own.
        var compilation = CSharpCompilation.CreateScriptCompilation(
            $"agentkit-submission-{index}", tree, SnippetCompiler.References,
            SnippetCompiler.Options.WithScriptClassName($"Submission#{index}"),
            previous?.Compilation, typeof(object), typeof(ScriptGlobals));
        var model = compilation.GetSemanticModel(tree);
        if (!trusted && CodePolicy.Check(model, tree, cancellationToken) is { } violation)
            return (null, new CompileFailure(WorkerProtocol.Statuses.PolicyViolation, violation.Message, violation.Line, violation.Column));

        using var image = new MemoryStream();
        using var symbols = new MemoryStream();
        var emitted = compilation.Emit(image, symbols, options: EmitOptions, cancellationToken: cancellationToken);
        if (!emitted.Success)
            return (null, FirstError(emitted.Diagnostics) ?? new CompileFailure(WorkerProtocol.Statuses.CompileError, "The snippet did not compile.", null, null));

        var entryPoint = compilation.GetEntryPoint(cancellationToken);
        var submission = new SubmissionImage(
            image.ToArray(), symbols.ToArray(), entryPoint?.ContainingType.MetadataName, entryPoint?.MetadataName,
            HasResult(tree, model, cancellationToken));
        return (new CompiledSubmission(compilation, submission)
        {
            Index = index,
            ParentId = previous?.Id ?? 0,
            IsPrivate = previous?.IsPrivate == true || DeclaresStaticState(tree.GetRoot(cancellationToken)),
        }, null);
    }

    /// <summary>
    /// True when the code declares something a loaded assembly keeps for all its users: static fields (const aside),
    /// static auto-properties and field-like events, static constructors. Compiler-generated statics (cached lambdas)
    /// hold no state of the snippet's.
    /// </summary>
    private static bool DeclaresStaticState(SyntaxNode root) => root.DescendantNodes().Any(node => node switch
    {
        FieldDeclarationSyntax field => field.Modifiers.Any(SyntaxKind.StaticKeyword) && !field.Modifiers.Any(SyntaxKind.ConstKeyword),
        PropertyDeclarationSyntax property => property.Modifiers.Any(SyntaxKind.StaticKeyword)
            && (property.Initializer is not null || property.AccessorList?.Accessors.Any(a => a.Body is null && a.ExpressionBody is null) == true),
        EventFieldDeclarationSyntax @event => @event.Modifiers.Any(SyntaxKind.StaticKeyword),
        ConstructorDeclarationSyntax constructor => constructor.Modifiers.Any(SyntaxKind.StaticKeyword),
        _ => false,
    });

    /// <summary>
    /// A snippet has a value when it ends with an expression statement without a semicolon whose type is not void
    /// (Roslyn's own test, <c>HasSubmissionResult</c>, is internal), or when it returns a value at its top level.
    /// </summary>
    private static bool HasResult(SyntaxTree tree, SemanticModel model, CancellationToken cancellationToken)
    {
        var root = (CompilationUnitSyntax)tree.GetRoot(cancellationToken);
        if (root.Members is [.., GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last }]
            && model.GetTypeInfo(last.Expression, cancellationToken).Type is { SpecialType: not SpecialType.System_Void })
            return true;
        return root.Members.OfType<GlobalStatementSyntax>()
            .SelectMany(global => global.DescendantNodesAndSelf(descendIntoChildren: node => !IsNestedBody(node)))
            .OfType<ReturnStatementSyntax>()
            .Any(statement => statement.Expression is not null);
    }

    // A return inside these returns from them, not from the snippet.
    private static bool IsNestedBody(SyntaxNode node) =>
        node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseTypeDeclarationSyntax;

    private static CompileFailure? FirstError(IEnumerable<Diagnostic> diagnostics)
    {
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5).ToList();
        if (errors.Count == 0) return null;
        var first = errors[0].Location.GetLineSpan().StartLinePosition;
        var message = string.Join(Environment.NewLine, errors.Select(Describe));
        return new CompileFailure(WorkerProtocol.Statuses.CompileError, message, first.Line + 1, first.Character + 1);
    }

    private static string Describe(Diagnostic diagnostic)
    {
        var position = diagnostic.Location.GetLineSpan().StartLinePosition;
        return $"({position.Line + 1},{position.Character + 1}): error {diagnostic.Id}: {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
    }
}
