using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static AgentKit.Sandbox.Policy.PolicyViolation;

namespace AgentKit.Sandbox.Policy;

/// <summary>
/// The node-by-node pass: asks the semantic model what a syntax node names, is typed as, converts to or declares,
/// for the nodes the operation pass did not cover (declarations' signatures, type names, attributes, <c>nameof</c>,
/// invalid code's candidate symbols), plus the checks that need the syntax itself (<c>stackalloc</c> sizes,
/// <c>foreach</c> and deconstruction methods no operation exposes).
/// </summary>
internal static class SemanticRules
{
    /// <summary>The most elements one <c>stackalloc</c> may ask for (a constant): enough for a scratch buffer, far from the stack's size.</summary>
    public const int MaxStackAllocLength = 1024;

    /// <summary>What <paramref name="node"/> names, is typed as, converts with or declares, when the operation pass did not cover it.</summary>
    public static PolicyViolation? CheckSymbols(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (node is ExpressionSyntax or SelectOrGroupClauseSyntax or OrderingSyntax or QueryClauseSyntax)
        {
            var info = model.GetSymbolInfo(node, cancellationToken);
            if (info.Symbol is { } symbol)
            {
                if (CodePolicy.CheckSymbol(symbol) is { } found) return At(node, found);
            }
            else
            {
                foreach (var candidate in info.CandidateSymbols)
                    if (CodePolicy.CheckSymbol(candidate) is { } found) return At(node, found);
            }
        }

        if (node is QueryClauseSyntax clause)
        {
            var query = model.GetQueryClauseInfo(clause, cancellationToken);
            foreach (var symbol in new[] { query.CastInfo.Symbol, query.OperationInfo.Symbol })
                if (symbol is not null && CodePolicy.CheckSymbol(symbol) is { } found) return At(node, found);
        }

        if (node is ExpressionSyntax expression)
        {
            var type = model.GetTypeInfo(expression, cancellationToken);
            if (type.Type is { } t && CodePolicy.CheckType(t) is { } typeFound) return At(node, typeFound);
            if (type.ConvertedType is { } c && CodePolicy.CheckType(c) is { } convertedFound) return At(node, convertedFound);
            // A user-defined conversion operator runs code of its declaring type.
            if (model.GetConversion(expression, cancellationToken).MethodSymbol is { } conversion && CodePolicy.CheckSymbol(conversion) is { } op)
                return At(node, op);
        }

        if (node is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ParameterSyntax or ForEachStatementSyntax
            or CatchDeclarationSyntax or LocalFunctionStatementSyntax or QueryClauseSyntax or QueryContinuationSyntax)
        {
            if (model.GetDeclaredSymbol(node, cancellationToken) is { } declared && CodePolicy.CheckSymbol(declared) is { } found)
                return At(node, found);
        }
        return null;
    }

    /// <summary>The checks every node gets, covered or not: what only the syntax-level APIs of the semantic model expose.</summary>
    public static PolicyViolation? CheckShape(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken) => node switch
    {
        StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax => CheckStackAlloc(model, node, cancellationToken),
        CommonForEachStatementSyntax loop => CheckForEach(model, loop, cancellationToken),
        AssignmentExpressionSyntax { Left: TupleExpressionSyntax or DeclarationExpressionSyntax } deconstruction =>
            CheckDeconstruction(node, model.GetDeconstructionInfo(deconstruction)),
        _ => null,
    };

    /// <summary>
    /// <c>stackalloc</c> into a span is bounds-checked, but its size comes off the stack: only a small constant
    /// length is allowed, so one expression cannot exhaust it (recursion still can; the worker survives that as a crash).
    /// </summary>
    private static PolicyViolation? CheckStackAlloc(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        int? length = node switch
        {
            StackAllocArrayCreationExpressionSyntax { Initializer: { } init } => init.Expressions.Count,
            StackAllocArrayCreationExpressionSyntax { Type: ArrayTypeSyntax { RankSpecifiers: [{ Sizes: [var size] }] } } =>
                model.GetConstantValue(size, cancellationToken) is { HasValue: true, Value: int constant } ? constant : null,
            ImplicitStackAllocArrayCreationExpressionSyntax implicitly => implicitly.Initializer.Expressions.Count,
            _ => null,
        };
        return length is >= 0 and <= MaxStackAllocLength
            ? null
            : At(node, "stackalloc", $"stack memory (only a constant length up to {MaxStackAllocLength} is allowed)");
    }

    // foreach binds GetEnumerator/MoveNext/Current/Dispose (possibly extension methods) that no syntax node names.
    private static PolicyViolation? CheckForEach(SemanticModel model, CommonForEachStatementSyntax loop, CancellationToken cancellationToken)
    {
        var info = model.GetForEachStatementInfo(loop);
        ISymbol?[] implicitCalls = [info.GetEnumeratorMethod, info.MoveNextMethod, info.CurrentProperty, info.DisposeMethod, info.ElementConversion.MethodSymbol];
        foreach (var symbol in implicitCalls)
            if (symbol is not null && CodePolicy.CheckSymbol(symbol) is { } found) return At(loop.Expression, found);
        return loop is ForEachVariableStatementSyntax deconstructing
            ? CheckDeconstruction(loop, model.GetDeconstructionInfo(deconstructing))
            : null;
    }

    // var (a, b) = x; binds x.Deconstruct (possibly an extension method) without naming it.
    private static PolicyViolation? CheckDeconstruction(SyntaxNode node, DeconstructionInfo info)
    {
        if (info.Method is { } method && CodePolicy.CheckSymbol(method) is { } found) return At(node, found);
        if (info.Conversion?.MethodSymbol is { } conversion && CodePolicy.CheckSymbol(conversion) is { } converted) return At(node, converted);
        foreach (var nested in info.Nested)
            if (CheckDeconstruction(node, nested) is { } violation) return violation;
        return null;
    }
}
