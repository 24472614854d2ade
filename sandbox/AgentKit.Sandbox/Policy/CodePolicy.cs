using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentKit.Sandbox.Policy;

/// <summary>
/// Checks a compiled snippet before it runs, in three passes: the syntax alone (<see cref="SyntaxRules"/>), every
/// bound operation (<see cref="OperationRules"/>: calls, creations, conversions, declarations and what the compiler
/// calls on the snippet's behalf), then the semantic model node by node for what no operation covered
/// (<see cref="SemanticRules"/>: signatures, type names, attributes, invalid code's candidates). Each symbol is asked
/// about by name (<see cref="PolicyRules"/>) and by signature: a framework member that takes or returns pointers,
/// names a denied type, returns by reference or takes a <c>ref</c>/<c>in</c> parameter is refused unless reviewed.
/// Code the sandbox generated (tool functions) and code the agent declared in earlier steps are allowed.
/// </summary>
internal static class CodePolicy
{
    /// <summary>Returns the first violation in <paramref name="tree"/>, or null when the snippet may run.</summary>
    public static PolicyViolation? Check(SemanticModel model, SyntaxTree tree, CancellationToken cancellationToken = default)
    {
        // A snippet names the same few framework symbols over and over (Select, List<T>, string): decide each once.
        t_verdicts = new Dictionary<ISymbol, (string Symbol, string Reason)?>(SymbolEqualityComparer.IncludeNullability);
        try
        {
            var root = tree.GetRoot(cancellationToken);
            foreach (var node in root.DescendantNodesAndSelf(descendIntoTrivia: true))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (SyntaxRules.Check(node) is { } violation) return violation;
            }

            var covered = new HashSet<SyntaxNode>();
            if (OperationRules.Check(model, root, covered, cancellationToken) is { } operationViolation) return operationViolation;

            foreach (var node in root.DescendantNodesAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var violation = SemanticRules.CheckShape(model, node, cancellationToken)
                    ?? (IsCovered(node, covered) ? null : SemanticRules.CheckSymbols(model, node, cancellationToken));
                if (violation is not null) return violation;
            }
            return null;
        }
        finally
        {
            t_verdicts = null;
        }
    }

    // (x) has no operation of its own: it means what x means, so it is covered when x is.
    private static bool IsCovered(SyntaxNode node, HashSet<SyntaxNode> covered) =>
        covered.Contains(node) || node is ParenthesizedExpressionSyntax parenthesized && IsCovered(parenthesized.Expression, covered);

    // Per check and per thread only: verdicts on symbols of one compilation must not keep it alive after the check.
    [ThreadStatic]
    private static Dictionary<ISymbol, (string Symbol, string Reason)?>? t_verdicts;

    private static (string Symbol, string Reason)? Remember(ISymbol symbol, Func<ISymbol, (string Symbol, string Reason)?> decide)
    {
        if (t_verdicts is not { } verdicts) return decide(symbol);
        if (verdicts.TryGetValue(symbol, out var known)) return known;
        var verdict = decide(symbol);
        verdicts[symbol] = verdict;
        return verdict;
    }

    /// <summary>Checks one referenced or declared symbol; returns what to name in the error and why.</summary>
    internal static (string Symbol, string Reason)? CheckSymbol(ISymbol symbol) => Remember(symbol, DecideSymbol);

    private static (string Symbol, string Reason)? DecideSymbol(ISymbol symbol)
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
                // An extension method called as x.M(...) is checked as declared: M(this X x, ...), type arguments substituted.
                method = method.GetConstructedReducedFrom() ?? method;
                if (CheckMember(method) is { } deniedMethod) return deniedMethod;
                foreach (var argument in method.TypeArguments)
                    if (CheckType(argument) is { } deniedArgument) return deniedArgument;
                if (method.MethodKind is not (MethodKind.LocalFunction or MethodKind.AnonymousFunction)) return null;
                // The snippet's own functions: their signature is the snippet's, so every type in it is checked.
                foreach (var parameter in method.Parameters)
                    if (CheckType(parameter.Type) is { } deniedParameter) return deniedParameter;
                return CheckType(method.ReturnType);
            case IPropertySymbol property:
                return CheckMember(property) ?? CheckType(property.Type);
            case IFieldSymbol field:
                return CheckMember(field) ?? CheckType(field.Type);
            case IEventSymbol @event:
                return CheckMember(@event) ?? CheckType(@event.Type);
            default:
                return (symbol.ToDisplayString(), PolicyRules.NotAllowed);
        }
    }

    private static (string Symbol, string Reason)? CheckMember(ISymbol member)
    {
        var containing = member.ContainingType;
        if (containing is null || IsScriptDefined(containing)) return null;
        var outermost = Outermost(containing.OriginalDefinition);
        var reason = PolicyRules.CheckMember(NamespaceOf(outermost), FullName(outermost), member.MetadataName);
        if (reason is not null)
            return ($"{containing.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}.{member.Name}", reason);
        return CheckTypeArguments(containing) ?? CheckSignature(member);
    }

    /// <summary>
    /// The signature rules for a framework member the policy allows by name: every type in its signature must be
    /// allowed (no pointers, no denied types), and it may neither return by reference nor take a <c>ref</c>/<c>in</c>
    /// parameter unless <see cref="PolicyRules"/> reviewed it. This is what refuses the overload, not the name:
    /// <c>new Span&lt;T&gt;(T[])</c> passes, <c>new Span&lt;T&gt;(ref T)</c> and <c>new Span&lt;T&gt;(void*, int)</c> do not.
    /// </summary>
    /// <param name="member">A framework member the name rules allow.</param>
    /// <param name="treatAsAllowed">
    /// Types to treat as if they were on the allow-list: the member audit's what-if ("what if someone allowed
    /// <c>Vector</c>?"). The policy itself never passes one.
    /// </param>
    internal static (string Symbol, string Reason)? CheckSignature(ISymbol member, Func<INamedTypeSymbol, bool>? treatAsAllowed = null)
    {
        var (returnType, returnsByRef, parameters) = member switch
        {
            IMethodSymbol m => (m.ReturnType, m.ReturnsByRef || m.ReturnsByRefReadonly, m.Parameters),
            IPropertySymbol p => (p.Type, p.ReturnsByRef || p.ReturnsByRefReadonly, p.Parameters),
            IFieldSymbol f => (f.Type, f.RefKind != RefKind.None, []),
            IEventSymbol e => (e.Type, false, []),
            _ => ((ITypeSymbol?)null, false, System.Collections.Immutable.ImmutableArray<IParameterSymbol>.Empty),
        };
        if (returnType is not null && CheckType(returnType, treatAsAllowed) is { } deniedReturn) return (Describe(member), $"its type {deniedReturn.Symbol} is denied: {deniedReturn.Reason}");
        foreach (var parameter in parameters)
        {
            if (CheckType(parameter.Type, treatAsAllowed) is { } deniedParameter)
                return (Describe(member), $"its parameter '{parameter.Name}' has type {deniedParameter.Symbol}, denied: {deniedParameter.Reason}");
        }
        var byRef = returnsByRef || parameters.Any(p => p.RefKind is RefKind.Ref or RefKind.In or RefKind.RefReadOnlyParameter);
        if (!byRef || IsReviewedByRef(member)) return null;
        if (returnsByRef) return (Describe(member), "returns a reference into memory, which the sandbox only allows for reviewed members");
        foreach (var parameter in parameters)
        {
            if (parameter.RefKind is RefKind.Ref or RefKind.In or RefKind.RefReadOnlyParameter
                && !(parameter.Type is INamedTypeSymbol handler && PolicyRules.IsReviewedByRefParameterType(TypeKey(handler.OriginalDefinition))))
                return (Describe(member), $"takes '{parameter.Name}' by reference, which code can read or write past; only reviewed members may");
        }
        return null;
    }

    /// <summary>The key <see cref="PolicyRules"/> reviews members under: <c>Namespace.Type+Nested.MetadataName</c>.</summary>
    internal static string MemberKey(ISymbol member)
    {
        var definition = member is IMethodSymbol { ReducedFrom: { } extension } ? extension : member.OriginalDefinition;
        return TypeKey(definition.ContainingType.OriginalDefinition) + "." + definition.MetadataName;
    }

    private static bool IsReviewedByRef(ISymbol member) => PolicyRules.IsReviewed(MemberKey(member));

    /// <summary>How a member is named in a signature violation: with its parameters, so the overload is visible.</summary>
    private static string Describe(ISymbol member) =>
        member.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

    /// <summary>Checks a type and everything it is built from (element types, type arguments).</summary>
    internal static (string Symbol, string Reason)? CheckType(ITypeSymbol type, Func<INamedTypeSymbol, bool>? treatAsAllowed = null) =>
        treatAsAllowed is null ? Remember(type, t => DecideType((ITypeSymbol)t, null)) : DecideType(type, treatAsAllowed);

    private static (string Symbol, string Reason)? DecideType(ITypeSymbol type, Func<INamedTypeSymbol, bool>? treatAsAllowed)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return CheckType(array.ElementType, treatAsAllowed);
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
                var outermost = Outermost(named.OriginalDefinition);
                if (named.IsAnonymousType || IsScriptDefined(named) || treatAsAllowed?.Invoke(outermost) == true)
                    return CheckTypeArguments(named, treatAsAllowed);
                var reason = PolicyRules.CheckType(NamespaceOf(outermost), FullName(outermost));
                return reason is null
                    ? CheckTypeArguments(named, treatAsAllowed)
                    : (named.OriginalDefinition.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat), reason);
            default:
                return null;
        }
    }

    private static (string Symbol, string Reason)? CheckTypeArguments(INamedTypeSymbol named, Func<INamedTypeSymbol, bool>? treatAsAllowed = null)
    {
        for (var current = named; current is not null; current = current.ContainingType)
        {
            foreach (var argument in current.TypeArguments)
                if (CheckType(argument, treatAsAllowed) is { } denied) return denied;
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
        type.ContainingNamespace is { IsGlobalNamespace: false } ns ? NamespaceNames.GetValue(ns, n => n.ToDisplayString()) : "";

    // Display strings are costly and namespaces few; the weak table lets a namespace symbol (and its compilation) go.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<INamespaceSymbol, string> NamespaceNames = new();

    private static string FullName(INamedTypeSymbol type)
    {
        var ns = NamespaceOf(type);
        return ns.Length == 0 ? type.MetadataName : ns + "." + type.MetadataName;
    }

    /// <summary>Metadata name with nesting: <c>System.Span`1+Enumerator</c>.</summary>
    internal static string TypeKey(INamedTypeSymbol type) =>
        type.ContainingType is { } outer ? TypeKey(outer) + "+" + type.MetadataName : FullName(type);
}
