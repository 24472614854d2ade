using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentKit.Sandbox.Policy;

/// <summary>
/// Checks a compiled snippet before it runs: walks every syntax node, resolves what it names with the semantic
/// model (so aliases, <c>using static</c>, extension methods and <c>var</c> are seen through) and asks
/// <see cref="PolicyRules"/> about each symbol and each expression's type. Code the sandbox generated (tool
/// functions) and code the agent declared in earlier steps are allowed; everything else must be on the allow-list.
/// </summary>
internal static class CodePolicy
{
    /// <summary>Returns the first violation in <paramref name="tree"/>, or null when the snippet may run.</summary>
    public static PolicyViolation? Check(SemanticModel model, SyntaxTree tree, CancellationToken cancellationToken = default)
    {
        var root = tree.GetRoot(cancellationToken);
        foreach (var node in root.DescendantNodesAndSelf(descendIntoTrivia: true))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var violation = CheckSyntax(node) ?? CheckSemantics(model, node, cancellationToken);
            if (violation is not null) return violation;
        }
        return null;
    }

    private static PolicyViolation? CheckSyntax(SyntaxNode node)
    {
        switch (node)
        {
            case ReferenceDirectiveTriviaSyntax:
                return At(node, "#r", "loading assemblies");
            case LoadDirectiveTriviaSyntax:
                return At(node, "#load", "loading files");
            case PointerTypeSyntax:
                return At(node, node.ToString(), "pointers");
            case FunctionPointerTypeSyntax:
                return At(node, "delegate*", "function pointers");
            case FixedStatementSyntax:
                return At(node, "fixed", "pinned pointers");
            case DestructorDeclarationSyntax:
                return At(node, "~" + ((DestructorDeclarationSyntax)node).Identifier.Text, "finalizers run on another thread after the snippet");
        }
        foreach (var token in node.ChildTokens())
        {
            switch (token.Kind())
            {
                case SyntaxKind.UnsafeKeyword:
                    return At(token, "unsafe", "unsafe code");
                case SyntaxKind.ExternKeyword:
                    return At(token, "extern", "native code");
                case SyntaxKind.MakeRefKeyword or SyntaxKind.RefTypeKeyword or SyntaxKind.RefValueKeyword or SyntaxKind.ArgListKeyword:
                    return At(token, token.Text, "undocumented reference tricks");
            }
        }
        return null;
    }

    private static PolicyViolation? CheckSemantics(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (node is ExpressionSyntax or SelectOrGroupClauseSyntax or OrderingSyntax or QueryClauseSyntax)
        {
            var info = model.GetSymbolInfo(node, cancellationToken);
            if (info.Symbol is { } symbol)
            {
                if (CheckSymbol(symbol) is { } found) return At(node, found.Symbol, found.Reason);
            }
            else
            {
                foreach (var candidate in info.CandidateSymbols)
                    if (CheckSymbol(candidate) is { } found) return At(node, found.Symbol, found.Reason);
            }
        }

        if (node is QueryClauseSyntax clause)
        {
            var query = model.GetQueryClauseInfo(clause, cancellationToken);
            foreach (var symbol in new[] { query.CastInfo.Symbol, query.OperationInfo.Symbol })
                if (symbol is not null && CheckSymbol(symbol) is { } found) return At(node, found.Symbol, found.Reason);
        }

        if (node is ExpressionSyntax expression)
        {
            var type = model.GetTypeInfo(expression, cancellationToken);
            if (type.Type is { } t && CheckType(t) is { } typeFound) return At(node, typeFound.Symbol, typeFound.Reason);
            if (type.ConvertedType is { } c && CheckType(c) is { } convertedFound) return At(node, convertedFound.Symbol, convertedFound.Reason);
            // A user-defined conversion operator runs code of its declaring type.
            if (model.GetConversion(expression, cancellationToken).MethodSymbol is { } conversion && CheckSymbol(conversion) is { } op)
                return At(node, op.Symbol, op.Reason);
        }

        if (node is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ParameterSyntax or ForEachStatementSyntax
            or CatchDeclarationSyntax or LocalFunctionStatementSyntax or QueryClauseSyntax or QueryContinuationSyntax)
        {
            if (model.GetDeclaredSymbol(node, cancellationToken) is { } declared && CheckSymbol(declared) is { } found)
                return At(node, found.Symbol, found.Reason);
        }
        return null;
    }

    /// <summary>Checks one referenced or declared symbol; returns what to name in the error and why.</summary>
    internal static (string Symbol, string Reason)? CheckSymbol(ISymbol symbol)
    {
        switch (symbol)
        {
            case INamespaceSymbol or ILabelSymbol or IPreprocessingSymbol:
                return null;
            case IAliasSymbol alias:
                return CheckSymbol(alias.Target);
            case ITypeSymbol type:
                return CheckType(type);
            case ILocalSymbol local:
                return CheckType(local.Type);
            case IParameterSymbol parameter:
                return CheckType(parameter.Type);
            case IRangeVariableSymbol:
                return null;
            case IDiscardSymbol discard:
                return CheckType(discard.Type);
            case IMethodSymbol method:
                method = method.ReducedFrom ?? method;
                if (CheckMember(method) is { } deniedMethod) return deniedMethod;
                foreach (var argument in method.TypeArguments)
                    if (CheckType(argument) is { } deniedArgument) return deniedArgument;
                return method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction ? CheckType(method.ReturnType) : null;
            case IPropertySymbol property:
                return CheckMember(property) ?? CheckType(property.Type);
            case IFieldSymbol field:
                return CheckMember(field) ?? CheckType(field.Type);
            case IEventSymbol @event:
                return CheckMember(@event) ?? CheckType(@event.Type);
            default:
                return (symbol.ToDisplayString(), "not on the sandbox allow-list");
        }
    }

    private static (string Symbol, string Reason)? CheckMember(ISymbol member)
    {
        var containing = member.ContainingType;
        if (containing is null || IsScriptDefined(containing)) return null;
        var outermost = Outermost(containing.OriginalDefinition);
        var reason = PolicyRules.CheckMember(NamespaceOf(outermost), FullName(outermost), outermost.MetadataName, member.Name);
        if (reason is not null)
            return ($"{containing.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}.{member.Name}", reason);
        return CheckTypeArguments(containing);
    }

    /// <summary>Checks a type and everything it is built from (element types, type arguments).</summary>
    internal static (string Symbol, string Reason)? CheckType(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return CheckType(array.ElementType);
            case IPointerTypeSymbol:
                return (type.ToDisplayString(), "pointers");
            case IFunctionPointerTypeSymbol:
                return (type.ToDisplayString(), "function pointers");
            case ITypeParameterSymbol:
                return null;
            case { TypeKind: TypeKind.Dynamic }:
                return ("dynamic", "late binding");
            case { TypeKind: TypeKind.Error }:
                return null;
            case INamedTypeSymbol named:
                if (named.IsAnonymousType || IsScriptDefined(named)) return CheckTypeArguments(named);
                var outermost = Outermost(named.OriginalDefinition);
                var reason = PolicyRules.CheckType(NamespaceOf(outermost), FullName(outermost), outermost.MetadataName);
                return reason is null
                    ? CheckTypeArguments(named)
                    : (named.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat), reason);
            default:
                return null;
        }
    }

    private static (string Symbol, string Reason)? CheckTypeArguments(INamedTypeSymbol named)
    {
        for (var current = named; current is not null; current = current.ContainingType)
        {
            foreach (var argument in current.TypeArguments)
                if (CheckType(argument) is { } denied) return denied;
        }
        return null;
    }

    // Submissions (the agent's earlier steps and the generated tool functions) compile into interactive assemblies.
    private static bool IsScriptDefined(ITypeSymbol type) => type.ContainingAssembly?.IsInteractive == true;

    private static INamedTypeSymbol Outermost(INamedTypeSymbol type)
    {
        while (type.ContainingType is { } outer) type = outer;
        return type;
    }

    private static string NamespaceOf(INamedTypeSymbol type) =>
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "";

    private static string FullName(INamedTypeSymbol type)
    {
        var ns = NamespaceOf(type);
        return ns.Length == 0 ? type.MetadataName : ns + "." + type.MetadataName;
    }

    private static PolicyViolation At(SyntaxNode node, string symbol, string reason) => At(node.GetLocation(), symbol, reason);

    private static PolicyViolation At(SyntaxToken token, string symbol, string reason) => At(token.GetLocation(), symbol, reason);

    private static PolicyViolation At(Location location, string symbol, string reason)
    {
        var position = location.GetLineSpan().StartLinePosition;
        return new PolicyViolation(symbol, reason, position.Line + 1, position.Character + 1);
    }
}
