using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static AgentKit.Sandbox.Policy.PolicyViolation;

namespace AgentKit.Sandbox.Policy;

/// <summary>What the policy refuses from the syntax alone, before anything is bound: directives, pointers, unsafe code.</summary>
internal static class SyntaxRules
{
    /// <summary>Returns the violation <paramref name="node"/> is by its shape, or null.</summary>
    public static PolicyViolation? Check(SyntaxNode node)
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
}
