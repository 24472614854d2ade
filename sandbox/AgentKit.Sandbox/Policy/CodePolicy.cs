using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentKit.Sandbox.Policy;

/// <summary>
/// Checks a compiled snippet before it runs: walks every syntax node, resolves what it names with the semantic
/// model (so aliases, <c>using static</c>, extension methods, method groups and <c>var</c> are seen through), then
/// walks the bound operations for what the compiler calls on the snippet's behalf (collection-initializer
/// <c>Add</c>, operators, conversions, <c>foreach</c> and deconstruction methods). Each symbol is asked about by name
/// (<see cref="PolicyRules"/>) and by signature: a framework member that takes or returns pointers, names a denied
/// type, returns by reference or takes a <c>ref</c>/<c>in</c> parameter is refused unless reviewed. Code the sandbox
/// generated (tool functions) and code the agent declared in earlier steps are allowed.
/// </summary>
internal static class CodePolicy
{
    /// <summary>The most elements one <c>stackalloc</c> may ask for (a constant): enough for a scratch buffer, far from the stack's size.</summary>
    public const int MaxStackAllocLength = 1024;

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
                var violation = CheckSyntax(node) ?? CheckSemantics(model, node, cancellationToken);
                if (violation is not null) return violation;
            }
            return CheckOperations(model, root, cancellationToken);
        }
        finally
        {
            t_verdicts = null;
        }
    }

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
            case DestructorDeclarationSyntax destructor:
                return At(node, "~" + destructor.Identifier.Text, "finalizers run on another thread after the snippet");
            case FieldDeclarationSyntax { Declaration.Type: RefTypeSyntax } field:
                // Ref fields are where the compiler's ref-safety rules are newest; snippets have no use for them.
                return At(node, "ref " + field.Declaration.Variables.First().Identifier.Text, "ref fields");
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

        return node switch
        {
            StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax => CheckStackAlloc(model, node, cancellationToken),
            CommonForEachStatementSyntax loop => CheckForEach(model, loop, cancellationToken),
            AssignmentExpressionSyntax { Left: TupleExpressionSyntax or DeclarationExpressionSyntax } deconstruction =>
                CheckDeconstruction(node, model.GetDeconstructionInfo(deconstruction)),
            _ => null,
        };
    }

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
            if (symbol is not null && CheckSymbol(symbol) is { } found) return At(loop.Expression, found.Symbol, found.Reason);
        return loop is ForEachVariableStatementSyntax deconstructing
            ? CheckDeconstruction(loop, model.GetDeconstructionInfo(deconstructing))
            : null;
    }

    // var (a, b) = x; binds x.Deconstruct (possibly an extension method) without naming it.
    private static PolicyViolation? CheckDeconstruction(SyntaxNode node, DeconstructionInfo info)
    {
        if (info.Method is { } method && CheckSymbol(method) is { } found) return At(node, found.Symbol, found.Reason);
        if (info.Conversion?.MethodSymbol is { } conversion && CheckSymbol(conversion) is { } converted) return At(node, converted.Symbol, converted.Reason);
        foreach (var nested in info.Nested)
            if (CheckDeconstruction(node, nested) is { } violation) return violation;
        return null;
    }

    /// <summary>
    /// Second pass over the bound operations: what the compiler calls for the snippet (collection-initializer
    /// <c>Add</c>, operator methods, interpolated-string handler calls, implicit indexers, pattern <c>Deconstruct</c>).
    /// </summary>
    private static PolicyViolation? CheckOperations(SemanticModel model, SyntaxNode root, CancellationToken cancellationToken)
    {
        var seen = new HashSet<IOperation>();
        // Asking for the operation of every node binds each one again; nodes inside a tree already walked need not be asked.
        var covered = new HashSet<SyntaxNode>();
        foreach (var node in root.DescendantNodes())
        {
            if (covered.Contains(node) || model.GetOperation(node, cancellationToken) is not { } operation) continue;
            while (operation.Parent is { } parent) operation = parent;
            if (!seen.Add(operation)) continue;
            foreach (var current in operation.DescendantsAndSelf())
            {
                cancellationToken.ThrowIfCancellationRequested();
                covered.Add(current.Syntax);
                foreach (var symbol in SymbolsOf(current))
                {
                    if (symbol is not null && CheckSymbol(symbol) is { } found) return At(current.Syntax, found.Symbol, found.Reason);
                }
                if (current.Type is { } type && CheckType(type) is { } typeFound) return At(current.Syntax, typeFound.Symbol, typeFound.Reason);
            }
        }
        return null;
    }

    private static IEnumerable<ISymbol?> SymbolsOf(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => [invocation.TargetMethod],
        IObjectCreationOperation creation => [creation.Constructor],
        IMemberReferenceOperation reference => [reference.Member],
        IConversionOperation conversion => [conversion.OperatorMethod],
        IUnaryOperation unary => [unary.OperatorMethod],
        IBinaryOperation binary => [binary.OperatorMethod],
        ICompoundAssignmentOperation compound => [compound.OperatorMethod],
        IIncrementOrDecrementOperation increment => [increment.OperatorMethod],
        ICollectionExpressionOperation collection => [collection.ConstructMethod],
        IImplicitIndexerReferenceOperation indexer => [indexer.IndexerSymbol, indexer.LengthSymbol],
        IRecursivePatternOperation pattern => [pattern.DeconstructSymbol],
        _ => [],
    };

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
                return method.MethodKind is MethodKind.LocalFunction or MethodKind.AnonymousFunction ? CheckType(method.ReturnType) : null;
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

    private static PolicyViolation At(SyntaxNode node, string symbol, string reason) => At(node.GetLocation(), symbol, reason);

    private static PolicyViolation At(SyntaxToken token, string symbol, string reason) => At(token.GetLocation(), symbol, reason);

    private static PolicyViolation At(Location location, string symbol, string reason)
    {
        var position = location.GetLineSpan().StartLinePosition;
        return new PolicyViolation(symbol, reason, position.Line + 1, position.Character + 1);
    }
}
