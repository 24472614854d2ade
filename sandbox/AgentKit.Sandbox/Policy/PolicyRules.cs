namespace AgentKit.Sandbox.Policy;

/// <summary>
/// What agent code may name. An allow-list decides (anything not listed is denied); the deny table only
/// exists so that a refusal names the reason ("file system", "processes", …) instead of a bare "not allowed".
/// Names are metadata names: namespace + type with generic arity (<c>System.Func`2</c>).
/// </summary>
internal static class PolicyRules
{
    /// <summary>Namespaces whose every type is allowed (exact match, not sub-namespaces).</summary>
    private static readonly HashSet<string> AllowedNamespaces =
    [
        "System.Collections",
        "System.Collections.Generic",
        "System.Collections.ObjectModel",
        "System.Collections.Concurrent",
        "System.Linq",
        "System.Text",
        "System.Text.RegularExpressions",
        "System.Globalization",
        "System.Numerics",
        "System.Text.Json",
        "System.Text.Json.Nodes",
        "System.Text.Json.Serialization",
    ];

    /// <summary>Types of the <c>System</c> namespace that are pure data and computation.</summary>
    private static readonly HashSet<string> AllowedSystemTypes =
    [
        "Object", "String", "Boolean", "Char", "Byte", "SByte", "Int16", "UInt16", "Int32", "UInt32", "Int64", "UInt64",
        "Int128", "UInt128", "Half", "Single", "Double", "Decimal", "Void", "ValueType", "Enum", "Array", "Nullable", "Nullable`1",
        "Math", "MathF", "Convert", "BitConverter", "Random", "Guid", "HashCode", "Version", "Uri", "UriKind",
        "DateTime", "DateTimeOffset", "DateTimeKind", "DayOfWeek", "TimeSpan", "DateOnly", "TimeOnly",
        "StringComparison", "StringComparer", "StringSplitOptions", "MidpointRounding", "Base64FormattingOptions",
        "TypeCode", "Index", "Range", "Span`1", "ReadOnlySpan`1", "Memory`1", "ReadOnlyMemory`1", "ArraySegment`1",
        "MemoryExtensions", "Lazy`1", "Lazy`2", "FormattableString", "CharEnumerator",
        "IComparable", "IComparable`1", "IEquatable`1", "IFormattable", "IFormatProvider", "ICloneable", "IDisposable",
        "IConvertible", "ISpanFormattable", "IUtf8SpanFormattable", "IParsable`1", "ISpanParsable`1", "IObservable`1", "IObserver`1",
        "Comparison`1", "Converter`2", "Predicate`1", "EventArgs", "EventHandler", "EventHandler`1",
        "Attribute", "AttributeUsageAttribute", "AttributeTargets", "FlagsAttribute", "ObsoleteAttribute", "SerializableAttribute",
        // Restricted below to their harmless members.
        "Type", "Console", "Delegate", "MulticastDelegate", "Environment",
    ];

    /// <summary>Members allowed on the restricted <c>System</c> types; any other member of these types is denied.</summary>
    private static readonly Dictionary<string, HashSet<string>> AllowedMembers = new()
    {
        ["System.Type"] = ["Name", "FullName", "Namespace", "ToString", "Equals", "GetHashCode", "IsArray", "IsEnum", "IsValueType",
                           "IsPrimitive", "IsGenericType", "IsClass", "IsInterface", "op_Equality", "op_Inequality"],
        ["System.Console"] = ["Write", "WriteLine", "Out", "Error"],
        ["System.Delegate"] = ["Invoke", "Equals", "GetHashCode", "ToString", "Combine", "Remove", "op_Equality", "op_Inequality"],
        ["System.MulticastDelegate"] = ["Invoke", "Equals", "GetHashCode", "ToString", "op_Equality", "op_Inequality"],
        ["System.Environment"] = ["NewLine", "TickCount", "TickCount64"],
        // Type inherits Name from MemberInfo: allow that much of reflection's base class, nothing else.
        ["System.Reflection.MemberInfo"] = ["Name", "ToString", "Equals", "GetHashCode"],
    };

    /// <summary>Exact types allowed although their namespace is not.</summary>
    private static readonly HashSet<string> AllowedTypes =
    [
        "System.IO.TextWriter", "System.IO.TextReader", "System.IO.StringWriter", "System.IO.StringReader",
        "System.Diagnostics.Stopwatch",
    ];

    /// <summary>Exact types denied although their namespace is allowed.</summary>
    private static readonly Dictionary<string, string> DeniedTypes = new()
    {
        ["System.Linq.Queryable"] = "expression trees",
        ["System.Linq.IQueryable"] = "expression trees",
        ["System.Linq.IQueryable`1"] = "expression trees",
        ["System.Linq.IOrderedQueryable`1"] = "expression trees",
        ["System.Linq.IQueryProvider"] = "expression trees",
        ["System.Activator"] = "reflection",
        ["System.AppDomain"] = "assembly loading",
        ["System.AppContext"] = "process configuration",
        ["System.GC"] = "garbage collector control",
        ["System.GCMemoryInfo"] = "garbage collector control",
        ["System.Buffer"] = "raw memory",
        ["System.IntPtr"] = "interop",
        ["System.UIntPtr"] = "interop",
        ["System.TypedReference"] = "undocumented reference tricks",
        ["System.RuntimeArgumentHandle"] = "undocumented reference tricks",
        ["System.RuntimeTypeHandle"] = "reflection",
        ["System.RuntimeMethodHandle"] = "reflection",
        ["System.RuntimeFieldHandle"] = "reflection",
        ["System.ModuleHandle"] = "reflection",
        ["System.TimeZoneInfo"] = "file system",
        ["System.Threading.Timer"] = "timers that outlive the snippet",
        ["System.Timers.Timer"] = "timers that outlive the snippet",
    };

    /// <summary>Reasons for denied namespaces; the first matching prefix names the reason (specific ones come first).</summary>
    private static readonly (string Prefix, string Reason)[] DeniedNamespaces =
    [
        ("System.IO", "file system"),
        ("System.Diagnostics.Process", "processes"),
        ("System.Diagnostics", "diagnostics and processes"),
        ("System.Net", "network"),
        ("System.Reflection.Emit", "reflection emit"),
        ("System.Reflection", "reflection"),
        ("System.Runtime.InteropServices", "interop"),
        ("System.Runtime.CompilerServices", "unsafe compiler services"),
        ("System.Runtime.Loader", "assembly loading"),
        ("System.Runtime.Intrinsics", "raw memory"),
        ("System.Runtime", "runtime control"),
        ("System.Threading.Tasks", "tasks that outlive the snippet"),
        ("System.Threading", "threads"),
        ("System.Timers", "timers that outlive the snippet"),
        ("System.Linq.Expressions", "expression trees"),
        ("System.Security", "security"),
        ("System.Resources", "assembly resources"),
        ("Microsoft.Win32", "registry and OS handles"),
        ("Microsoft.CodeAnalysis", "the compiler"),
        ("AgentKit", "the sandbox itself"),
    ];

    /// <summary>Reasons for denied members of restricted types.</summary>
    private static readonly Dictionary<string, string> RestrictedTypeReasons = new()
    {
        ["System.Type"] = "reflection",
        ["System.Console"] = "console input and redirection",
        ["System.Delegate"] = "reflection",
        ["System.MulticastDelegate"] = "reflection",
        ["System.Environment"] = "environment (exit, variables, process state)",
        ["System.Reflection.MemberInfo"] = "reflection",
    };

    /// <summary>The globals type: its public members (FinalAnswer, tool calls) are the sandbox's API.</summary>
    private const string GlobalsType = "AgentKit.Sandbox.Scripting.ScriptGlobals";

    /// <summary>Why a reference to type <paramref name="fullName"/> in <paramref name="ns"/> is denied; null when allowed.</summary>
    public static string? CheckType(string ns, string fullName, string metadataName)
    {
        if (fullName == GlobalsType) return null;
        if (DeniedTypes.TryGetValue(fullName, out var reason)) return reason;
        if (AllowedTypes.Contains(fullName)) return null;
        if (ns == "System")
        {
            // Exception types carry data only; their reflection-typed members (TargetSite) are caught by type checks.
            return AllowedSystemTypes.Contains(metadataName) || metadataName.EndsWith("Exception", StringComparison.Ordinal)
                || metadataName.StartsWith("Func`", StringComparison.Ordinal) || metadataName.StartsWith("Action", StringComparison.Ordinal)
                || metadataName.StartsWith("Tuple", StringComparison.Ordinal) || metadataName.StartsWith("ValueTuple", StringComparison.Ordinal)
                ? null
                : "not on the sandbox allow-list";
        }
        if (AllowedNamespaces.Contains(ns)) return null;
        foreach (var (prefix, why) in DeniedNamespaces)
        {
            if (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal)) return why;
        }
        return "not on the sandbox allow-list";
    }

    /// <summary>
    /// Why member <paramref name="member"/> of a type is denied; null when allowed. Restricted types decide by
    /// member name; any other type decides as a whole.
    /// </summary>
    public static string? CheckMember(string ns, string typeFullName, string typeMetadataName, string member)
    {
        if (AllowedMembers.TryGetValue(typeFullName, out var allowed))
            return allowed.Contains(member) ? null : RestrictedTypeReasons[typeFullName];
        return CheckType(ns, typeFullName, typeMetadataName);
    }
}
