using AgentKit.Sandbox.Policy;
using Microsoft.CodeAnalysis;

namespace AgentKit.Sandbox.Tests.Policy;

/// <summary>
/// The test that stops the next <c>Vector.LoadUnsafe</c>: it walks every type on the allow-list, resolved from the
/// runtime's own assemblies, and every member a snippet can reach on it (methods and their overloads, generic ones,
/// constructors, operators, conversions, properties, indexers, fields, events, extension methods, nested types,
/// protected members a subclass sees), asks the policy whether a snippet may bind to it, and fails on any member the
/// policy allows that <see cref="MemoryHazards"/> finds suspicious and nobody reviewed.
/// </summary>
public sealed class AllowListMemberAuditTests
{
    [Fact]
    public void EveryAllowListedType_ExistsInTheRuntime()
    {
        var missing = new List<string>();
        foreach (var name in PolicyRules.AllowedTypeNames)
        {
            var symbol = PolicyHarness.Framework.GetTypeByMetadataName(name);
            // The compiler's view must be the runtime's: the same type, loadable by name from the same assembly.
            if (symbol is null || Type.GetType($"{name}, {symbol.ContainingAssembly.Identity.Name}") is null) missing.Add(name);
        }
        Assert.True(missing.Count == 0, "allow-list names no type in the runtime: " + string.Join(", ", missing));
    }

    [Fact]
    public void NoAllowedMember_ReachesRawMemory_UnlessReviewed()
    {
        var findings = new List<string>();
        var audited = 0;
        foreach (var name in PolicyRules.AllowedTypeNames)
        {
            var type = PolicyHarness.Framework.GetTypeByMetadataName(name);
            if (type is null) continue; // reported by EveryAllowListedType_ExistsInTheRuntime
            foreach (var member in ReachableMembers(type))
            {
                if (CodePolicy.CheckSymbol(member) is not null) continue; // the policy refuses it
                audited++;
                findings.AddRange(Unreviewed(member));
            }
        }
        Assert.True(audited > 3000, $"only {audited} members audited: the walk is not reaching the allow-list");
        Assert.True(findings.Count == 0, $"{findings.Count} allowed members look memory-unsafe; refuse them in PolicyRules or review them with a reason:\n" + string.Join("\n", findings.Distinct().Order()));
    }

    [Fact]
    public void ReviewedMembers_AllExist_AndAreStillAllowed()
    {
        var reachable = PolicyRules.AllowedTypeNames
            .Select(PolicyHarness.Framework.GetTypeByMetadataName).OfType<INamedTypeSymbol>()
            .SelectMany(ReachableMembers)
            .Where(m => CodePolicy.CheckSymbol(m) is null)
            .Select(CodePolicy.MemberKey)
            .ToHashSet();
        var stale = PolicyRules.Reviewed.Keys.Where(key => !reachable.Contains(key)).ToList();
        Assert.True(stale.Count == 0, "reviewed entries that match no allowed member: " + string.Join(", ", stale));
    }

    // The detector must not be able to pass silently: fed the very APIs behind the escape, it must flag them.
    [Theory]
    [InlineData("System.Numerics.Vector", "LoadUnsafe")]
    [InlineData("System.Numerics.Vector", "StoreUnsafe")]
    [InlineData("System.Numerics.Vector", "As")]
    [InlineData("System.Numerics.Vector", "AsVectorByte")]
    [InlineData("System.Numerics.Vector4", "LoadUnsafe")]
    [InlineData("System.Numerics.Vector2", "LoadUnsafe")]
    [InlineData("System.Runtime.Intrinsics.Vector128", "LoadUnsafe")]
    [InlineData("System.Runtime.Intrinsics.Vector256", "StoreUnsafe")]
    [InlineData("System.Runtime.Intrinsics.Vector128", "As")]
    [InlineData("System.Runtime.CompilerServices.Unsafe", "As")]
    [InlineData("System.Runtime.CompilerServices.Unsafe", "Add")]
    [InlineData("System.Runtime.CompilerServices.Unsafe", "ReadUnaligned")]
    [InlineData("System.Runtime.InteropServices.MemoryMarshal", "CreateSpan")]
    [InlineData("System.Runtime.InteropServices.MemoryMarshal", "Cast")]
    [InlineData("System.Runtime.InteropServices.MemoryMarshal", "AsBytes")]
    [InlineData("System.Runtime.InteropServices.MemoryMarshal", "GetReference")]
    [InlineData("System.Runtime.InteropServices.MemoryMarshal", "Read")]
    [InlineData("System.Runtime.InteropServices.CollectionsMarshal", "AsSpan")]
    [InlineData("System.Runtime.InteropServices.CollectionsMarshal", "GetValueRefOrNullRef")]
    [InlineData("System.Span`1", "GetPinnableReference")]
    [InlineData("System.Span`1", ".ctor")]
    [InlineData("System.String", "GetPinnableReference")]
    public void Detector_FlagsTheKnownEscapes(string typeName, string memberName)
    {
        var type = PolicyHarness.Framework.GetTypeByMetadataName(typeName);
        Assert.NotNull(type);
        var members = type.GetMembers(memberName);
        Assert.NotEmpty(members);

        Assert.Contains(members, m => MemoryHazards.Of(m).Count > 0);
    }

    [Theory]
    [InlineData("System.Span`1", ".ctor", "T[]?")]
    [InlineData("System.Span`1", "Slice", "int, int")]
    [InlineData("System.MemoryExtensions", "AsSpan", "T[]?")]
    [InlineData("System.Linq.Enumerable", "Cast", "System.Collections.IEnumerable")]
    [InlineData("System.String", "Split", "char, System.StringSplitOptions")]
    public void Detector_PassesPlainMembers(string typeName, string memberName, string parameters)
    {
        var member = PolicyHarness.Framework.GetTypeByMetadataName(typeName)!.GetMembers(memberName).OfType<IMethodSymbol>()
            .Single(m => string.Join(", ", m.Parameters.Select(p => p.Type.ToDisplayString())) == parameters);

        Assert.Empty(MemoryHazards.Of(member));
    }

    // A reviewer who adds System.Numerics.Vector wholesale must see the audit fail: simulate exactly that by letting
    // every member through the name rules and keeping only the policy's signature rules.
    [Theory]
    [InlineData("System.Numerics.Vector", "System.Numerics.Vector.As<TFrom, TTo>")]
    [InlineData("System.Numerics.Vector`1", "System.Numerics.Vector<T>.Vector(System.ReadOnlySpan<byte>)")]
    [InlineData("System.Runtime.Intrinsics.Vector128", "System.Runtime.Intrinsics.Vector128.As<TFrom, TTo>")]
    [InlineData("System.Runtime.InteropServices.MemoryMarshal", "System.Runtime.InteropServices.MemoryMarshal.Cast<TFrom, TTo>")]
    [InlineData("System.Runtime.CompilerServices.Unsafe", "System.Runtime.CompilerServices.Unsafe.As<T>(object?)")]
    public void AddingARawMemoryTypeWholesale_FailsTheAudit(string typeName, string expectedFinding)
    {
        var type = PolicyHarness.Framework.GetTypeByMetadataName(typeName)!;
        bool IsVectorFamily(INamedTypeSymbol t) => t.ContainingNamespace.ToDisplayString() is "System.Numerics" or "System.Runtime.Intrinsics"
            || SymbolEqualityComparer.Default.Equals(t, type);

        var findings = ReachableMembers(type).Where(m => CodePolicy.CheckSignature(m, IsVectorFamily) is null).SelectMany(Unreviewed).ToList();

        Assert.Contains(findings, f => f.StartsWith(expectedFinding, StringComparison.Ordinal));
    }

    // The signature rule alone refuses the escape even on a type someone allowed by mistake.
    [Theory]
    [InlineData("System.Numerics.Vector", "LoadUnsafe")]
    [InlineData("System.Numerics.Vector", "StoreUnsafe")]
    [InlineData("System.Numerics.Vector4", "LoadUnsafe")]
    [InlineData("System.Runtime.Intrinsics.Vector128", "LoadUnsafe")]
    [InlineData("System.Runtime.InteropServices.MemoryMarshal", "CreateSpan")]
    [InlineData("System.Runtime.CompilerServices.Unsafe", "Add")]
    [InlineData("System.String", "GetPinnableReference")]
    public void SignatureRule_RefusesEveryOverload(string typeName, string memberName)
    {
        var members = PolicyHarness.Framework.GetTypeByMetadataName(typeName)!.GetMembers(memberName);
        Assert.NotEmpty(members);

        Assert.All(members, m => Assert.NotNull(CodePolicy.CheckSignature(m)));
    }

    private static IEnumerable<string> Unreviewed(ISymbol member)
    {
        var hazards = MemoryHazards.Of(member, p => p.Type is INamedTypeSymbol t && PolicyRules.IsReviewedByRefParameterType(CodePolicy.TypeKey(t.OriginalDefinition)));
        if (hazards.Count == 0 || PolicyRules.IsReviewed(CodePolicy.MemberKey(member))) yield break;
        yield return $"{member.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)} [{CodePolicy.MemberKey(member)}]: {string.Join("; ", hazards)}";
    }

    /// <summary>What snippet code can bind to on <paramref name="type"/>: its members and those of its nested types.</summary>
    private static IEnumerable<ISymbol> ReachableMembers(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal)) continue;
            switch (member)
            {
                case INamedTypeSymbol nested:
                    foreach (var inner in ReachableMembers(nested)) yield return inner;
                    break;
                // Accessors are reached through their property or event, which is what the policy sees.
                case IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove or MethodKind.EventRaise }:
                    break;
                case IMethodSymbol or IPropertySymbol or IFieldSymbol or IEventSymbol:
                    yield return member;
                    break;
            }
        }
    }
}
