using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using static AgentKit.Sandbox.Policy.PolicyViolation;

namespace AgentKit.Sandbox.Policy;

/// <summary>
/// The policy's main pass: every bound operation of the snippet, so what the code calls, creates, converts,
/// declares and what the compiler calls on its behalf (collection-initializer <c>Add</c>, operators, interpolated-string
/// handlers, implicit indexers, pattern <c>Deconstruct</c>) is checked from one binding of each member body. Asking
/// the semantic model node by node instead binds every lambda again for each question (most of the policy's time
/// on LINQ-heavy code).
/// </summary>
internal static class OperationRules
{
    /// <summary>
    /// Checks the operations of every executable part of <paramref name="root"/>; adds to <paramref name="covered"/>
    /// each syntax node whose symbols and types were fully checked here, so the node-by-node pass can skip it.
    /// </summary>
    public static PolicyViolation? Check(SemanticModel model, SyntaxNode root, HashSet<SyntaxNode> covered, CancellationToken cancellationToken)
    {
        var walked = new HashSet<IOperation>();
        var pending = new Stack<SyntaxNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (model.GetOperation(node, cancellationToken) is { } operation)
            {
                while (operation.Parent is { } parent) operation = parent;
                if (walked.Add(operation) && Walk(operation, covered, cancellationToken) is { } violation) return violation;
                // Everything below this node belongs to the operation tree just walked.
                if (node.Span.Length > 0 && operation.Syntax.Span.Contains(node.Span)) continue;
            }
            // Children in reverse, so they are popped (and violations found) in document order.
            var children = node.ChildNodes().ToList();
            for (var i = children.Count - 1; i >= 0; i--) pending.Push(children[i]);
        }
        return null;
    }

    private static PolicyViolation? Walk(IOperation root, HashSet<SyntaxNode> covered, CancellationToken cancellationToken)
    {
        var invalid = new List<SyntaxNode>();
        foreach (var operation in root.DescendantsAndSelf())
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var symbol in SymbolsOf(operation))
            {
                if (symbol is not null && CodePolicy.CheckSymbol(symbol) is { } found) return At(operation.Syntax, found);
            }
            if (operation.Type is { } type && CodePolicy.CheckType(type) is { } typeFound) return At(operation.Syntax, typeFound);
            if (IsInvalid(operation)) invalid.Add(operation.Syntax);
            else Cover(operation, covered);
        }
        // Invalid code is left to the node-by-node pass, even where a valid operation (an implicit conversion of the
        // erroneous value) shares its syntax: only the semantic model reports the candidates it would have bound to.
        covered.ExceptWith(invalid);
        return null;
    }

    private static bool IsInvalid(IOperation operation) =>
        operation is IInvalidOperation || operation.Type is { TypeKind: TypeKind.Error };

    /// <summary>Marks the syntax whose meaning <paramref name="operation"/> carries.</summary>
    private static void Cover(IOperation operation, HashSet<SyntaxNode> covered)
    {
        covered.Add(operation.Syntax);
        switch (operation.Syntax)
        {
            // The name of the called method (x.M, M) means TargetMethod, which was checked; a receiver that is a
            // type name (File.Exists) is not covered and is asked about on its own.
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } when operation is IInvocationOperation:
                covered.Add(access);
                covered.Add(access.Name);
                break;
            case InvocationExpressionSyntax { Expression: SimpleNameSyntax name } when operation is IInvocationOperation:
                covered.Add(name);
                break;
            // x.Member and x?.Member: the member's name means the referenced member, which was checked.
            case MemberAccessExpressionSyntax access when operation is IMemberReferenceOperation:
                covered.Add(access.Name);
                break;
            case MemberBindingExpressionSyntax binding when operation is IMemberReferenceOperation:
                covered.Add(binding.Name);
                break;
            // var x = ...: the declared type is each declared local's type, which was checked.
            case VariableDeclarationSyntax declaration when operation is IVariableDeclarationOperation:
                covered.Add(declaration.Type);
                break;
            // Lambda and local-function parameters: their symbols' types were checked with the function's symbol.
            case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax when operation is IAnonymousFunctionOperation or ILocalFunctionOperation:
                foreach (var parameter in operation.Syntax.ChildNodes().SelectMany(ParametersOf)) covered.Add(parameter);
                break;
            // new { Name = value }: the Name is the anonymous type's own property.
            case AnonymousObjectMemberDeclaratorSyntax { NameEquals: { } nameEquals }:
                covered.Add(nameEquals);
                covered.Add(nameEquals.Name);
                break;
        }
    }

    private static IEnumerable<SyntaxNode> ParametersOf(SyntaxNode node) => node switch
    {
        ParameterSyntax { Type: null } parameter => [parameter],
        ParameterListSyntax list => list.Parameters.Where(p => p.Type is null),
        _ => [],
    };

    private static IEnumerable<ISymbol?> SymbolsOf(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => [invocation.TargetMethod],
        IObjectCreationOperation creation => [creation.Constructor],
        IMemberReferenceOperation reference => [reference.Member],
        IConversionOperation conversion => [conversion.OperatorMethod],
        IUnaryOperation unary => [unary.OperatorMethod],
        IBinaryOperation binary => [binary.OperatorMethod],
        ICompoundAssignmentOperation compound => [compound.OperatorMethod, compound.InConversion.MethodSymbol, compound.OutConversion.MethodSymbol],
        IIncrementOrDecrementOperation increment => [increment.OperatorMethod],
        IArgumentOperation argument => [argument.InConversion.MethodSymbol, argument.OutConversion.MethodSymbol],
        ICoalesceOperation coalesce => [coalesce.ValueConversion.MethodSymbol],
        ICollectionExpressionOperation collection => [collection.ConstructMethod],
        IImplicitIndexerReferenceOperation indexer => [indexer.IndexerSymbol, indexer.LengthSymbol],
        IRecursivePatternOperation pattern => [pattern.DeconstructSymbol, pattern.MatchedType, pattern.DeclaredSymbol],
        IDeclarationPatternOperation pattern => [pattern.MatchedType, pattern.DeclaredSymbol],
        ITypePatternOperation pattern => [pattern.MatchedType],
        IListPatternOperation pattern => [pattern.LengthSymbol, pattern.IndexerSymbol, pattern.DeclaredSymbol],
        ISlicePatternOperation pattern => [pattern.SliceSymbol],
        IVariableDeclaratorOperation declarator => [declarator.Symbol],
        IAnonymousFunctionOperation function => [function.Symbol],
        ILocalFunctionOperation function => [function.Symbol],
        ITypeOfOperation typeOf => [typeOf.TypeOperand],
        ISizeOfOperation sizeOf => [sizeOf.TypeOperand],
        IIsTypeOperation isType => [isType.TypeOperand],
        ICatchClauseOperation catchClause => [catchClause.ExceptionType, .. catchClause.Locals],
        IForEachLoopOperation loop => [.. loop.Locals],
        IUsingOperation usingOperation => [.. usingOperation.Locals],
        IWithOperation with => [with.CloneMethod],
        IRangeOperation range => [range.Method],
        IFieldInitializerOperation initializer => [.. initializer.InitializedFields],
        IPropertyInitializerOperation initializer => [.. initializer.InitializedProperties],
        _ => [],
    };
}
