using Microsoft.CodeAnalysis;

namespace AgentKit.Sandbox.Tests.Policy;

/// <summary>
/// Judges a framework member by its signature alone, independently of the policy's code: does it look like it can
/// reach memory outside the object it is given? It is deliberately suspicious — a hit on an allowed member must be
/// refused by the policy or reviewed (<see cref="AgentKit.Sandbox.Policy.PolicyRules"/>), never silently let through.
/// </summary>
internal static class MemoryHazards
{
    /// <summary>Types whose whole purpose is raw memory: every member is a hazard.</summary>
    private static readonly HashSet<string> RawMemoryTypes =
    [
        "System.Runtime.CompilerServices.Unsafe", "System.Runtime.InteropServices.MemoryMarshal",
        "System.Runtime.InteropServices.CollectionsMarshal", "System.Runtime.InteropServices.ImmutableCollectionsMarshal",
        "System.Runtime.InteropServices.Marshal", "System.Runtime.InteropServices.NativeMemory",
        "System.Runtime.InteropServices.GCHandle", "System.Runtime.InteropServices.SequenceMarshal",
        "System.Runtime.CompilerServices.RuntimeHelpers", "System.Buffer", "System.Threading.Interlocked",
        "System.Threading.Volatile", "System.TypedReference", "System.ArgIterator",
    ];

    /// <summary>Types in signatures that mean raw references or native memory.</summary>
    private static readonly HashSet<string> RawMemorySignatureTypes =
        ["System.TypedReference", "System.ArgIterator", "System.RuntimeArgumentHandle", "System.IntPtr", "System.UIntPtr"];

    /// <summary>Generic views over memory whose element type a reinterpretation changes.</summary>
    private static readonly HashSet<string> MemoryViews =
    [
        "System.Span`1", "System.ReadOnlySpan`1", "System.Memory`1", "System.ReadOnlyMemory`1", "System.ArraySegment`1",
        "System.Numerics.Vector`1", "System.Runtime.Intrinsics.Vector64`1", "System.Runtime.Intrinsics.Vector128`1",
        "System.Runtime.Intrinsics.Vector256`1", "System.Runtime.Intrinsics.Vector512`1",
    ];

    /// <summary>Names that signal unchecked memory access whatever the signature says.</summary>
    private static readonly HashSet<string> RawMemoryNames =
    [
        "GetPinnableReference", "GetReference", "GetArrayDataReference", "CreateSpan", "CreateReadOnlySpan",
        "CreateReadOnlySpanFromNullTerminated", "BitCast", "AsBytes", "AsRef", "AsPointer", "NullRef", "IsNullRef",
        "AddByteOffset", "SubtractByteOffset", "ByteOffset", "SkipInit", "Reinterpret",
    ];

    /// <summary>Why <paramref name="member"/> looks memory-unsafe; empty when it does not.</summary>
    /// <param name="member">A framework member.</param>
    /// <param name="excusedByRef">By-reference parameters already reviewed as harmless (e.g. interpolated-string handlers).</param>
    public static IReadOnlyList<string> Of(ISymbol member, Func<IParameterSymbol, bool>? excusedByRef = null)
    {
        var hazards = new List<string>();
        var containing = FullName(member.ContainingType);
        if (RawMemoryTypes.Contains(containing)) hazards.Add($"member of the raw-memory type {containing}");

        var name = member.MetadataName;
        if (name.Contains("Unsafe", StringComparison.Ordinal)) hazards.Add("name says Unsafe");
        if (name.StartsWith("Load", StringComparison.Ordinal) || name.StartsWith("Store", StringComparison.Ordinal))
            hazards.Add("vector load/store");
        if (RawMemoryNames.Contains(name)) hazards.Add($"raw-memory name {name}");

        var (returnType, returnsByRef, parameters) = member switch
        {
            IMethodSymbol m => (m.MethodKind == MethodKind.Constructor ? m.ContainingType : m.ReturnType, m.ReturnsByRef || m.ReturnsByRefReadonly, m.Parameters),
            IPropertySymbol p => (p.Type, p.ReturnsByRef || p.ReturnsByRefReadonly, p.Parameters),
            IFieldSymbol f => (f.Type, f.RefKind != RefKind.None, []),
            IEventSymbol e => (e.Type, false, []),
            _ => ((ITypeSymbol?)null, false, System.Collections.Immutable.ImmutableArray<IParameterSymbol>.Empty),
        };
        if (returnsByRef) hazards.Add("returns by reference");
        foreach (var type in parameters.Select(p => p.Type).Append(returnType).OfType<ITypeSymbol>())
        {
            if (RawTypeIn(type) is { } raw) hazards.Add($"signature has {raw}");
        }
        foreach (var parameter in parameters)
        {
            if (parameter.RefKind is RefKind.Ref or RefKind.In or RefKind.RefReadOnlyParameter && excusedByRef?.Invoke(parameter) != true)
                hazards.Add($"takes '{parameter.Name}' by {parameter.RefKind}");
        }
        if (returnType is not null && Reinterprets(parameters, returnType, member as IMethodSymbol) is { } reinterpretation)
            hazards.Add(reinterpretation);
        return hazards;
    }

    private static string? RawTypeIn(ITypeSymbol type) => type switch
    {
        IPointerTypeSymbol => "a pointer",
        IFunctionPointerTypeSymbol => "a function pointer",
        IArrayTypeSymbol array => RawTypeIn(array.ElementType),
        INamedTypeSymbol named when RawMemorySignatureTypes.Contains(FullName(named)) => FullName(named),
        INamedTypeSymbol named => named.TypeArguments.Select(RawTypeIn).FirstOrDefault(r => r is not null),
        _ => null,
    };

    /// <summary>
    /// A view of one element type in, a view of another out (<c>Cast&lt;TFrom,TTo&gt;(Span&lt;TFrom&gt;)</c>,
    /// <c>Vector.As</c>, <c>AsBytes</c>), or a struct type parameter read out of a view of something else
    /// (<c>MemoryMarshal.Read&lt;T&gt;(ReadOnlySpan&lt;byte&gt;)</c>).
    /// </summary>
    private static string? Reinterprets(IEnumerable<IParameterSymbol> parameters, ITypeSymbol result, IMethodSymbol? method)
    {
        var resultElement = ViewElement(result);
        foreach (var parameter in parameters)
        {
            if (ViewElement(parameter.Type) is not { } input) continue;
            if (resultElement is not null && !SymbolEqualityComparer.Default.Equals(input, resultElement))
                return $"reinterprets a view of {input.ToDisplayString()} as a view of {resultElement.ToDisplayString()}";
            if (result is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } t && (t.HasUnmanagedTypeConstraint || t.HasValueTypeConstraint)
                && method is not null && input.SpecialType == SpecialType.System_Byte)
                return $"reads a {t.Name} out of bytes";
        }
        return null;
    }

    private static ITypeSymbol? ViewElement(ITypeSymbol type) => type switch
    {
        INamedTypeSymbol { TypeArguments.Length: 1 } named when MemoryViews.Contains(FullName(named.OriginalDefinition)) => named.TypeArguments[0],
        _ => null,
    };

    private static string FullName(INamedTypeSymbol type)
    {
        while (type.ContainingType is { } outer) type = outer;
        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + type.MetadataName : type.MetadataName;
    }
}
