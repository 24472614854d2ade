namespace AgentKit.Sandbox.Policy;

/// <summary>
/// What agent code may name. The rule set, in the order <see cref="CodePolicy"/> applies it:
/// <list type="number">
/// <item><b>Types: an explicit allow-list, no namespace wildcards.</b> A type is allowed only when its full metadata
///   name is listed below (nested types follow their outermost type: <c>List`1+Enumerator</c> with <c>List`1</c>).
///   Everything else is denied; <see cref="DeniedTypes"/> and <see cref="DeniedNamespaces"/> only choose the reason
///   the refusal names ("file system", "raw memory", …). Adding a type means reviewing all of its public members: the
///   reflective test (AllowListMemberAuditTests) fails on any member that looks memory-unsafe and is not refused or
///   reviewed.</item>
/// <item><b>Members.</b> Some allowed types are allowed member by member (<see cref="AllowedMembersOnly"/>:
///   <c>Console</c>, <c>Type</c>, …); others are allowed except named members (<see cref="DeniedMembers"/>).</item>
/// <item><b>Signatures.</b> Every member a snippet binds to — the overload chosen, the extension method, the
///   conversion or operator, the indexer, the constructor — is denied when its signature names a denied type
///   (parameters, return type, type arguments), a pointer or a function pointer.</item>
/// <item><b>References into memory.</b> A framework member that returns by reference (<c>ref</c>/<c>ref readonly</c>)
///   or takes a <c>ref</c>/<c>in</c>/<c>ref readonly</c> parameter is denied unless reviewed below
///   (<see cref="ReviewedMembers"/>, <see cref="ReviewedByRefParameterTypes"/>): such members are how
///   <c>Vector.LoadUnsafe(ref T)</c>, <c>Unsafe.Add</c>, <c>MemoryMarshal.CreateSpan</c> or
///   <c>new Span&lt;T&gt;(ref T)</c> read or write past one element. <c>out</c> parameters are allowed (the callee
///   only assigns the variable).</item>
/// <item><b>Snippet code</b> may use <c>ref</c> locals, <c>ref</c> returns and <c>scoped</c> (the compiler's
///   ref-safety rules hold, and a <c>ref</c> to an array element is bounds-checked when taken); it may not declare
///   <c>ref</c> fields, use <c>stackalloc</c> except with a small constant length, pointers, function pointers,
///   <c>fixed</c>, <c>unsafe</c>, <c>extern</c>, <c>__makeref</c>/<c>__reftype</c>/<c>__refvalue</c>/<c>__arglist</c>,
///   finalizers, <c>#r</c> or <c>#load</c>.</item>
/// <item><b>Seen through:</b> aliases, <c>using static</c>, extension methods (checked as declared), method groups
///   converted to delegates, lambdas and local functions, query clauses, inferred type arguments, implicit and
///   user-defined conversions, and what the compiler calls unnamed (<c>foreach</c>, deconstruction, collection
///   initializers, operators, interpolated-string handlers). <c>nameof</c> of a denied member is refused too.</item>
/// </list>
/// Decisions worth knowing: <c>System.Numerics.Vector*</c>, matrices and quaternions and all of
/// <c>System.Runtime.Intrinsics</c> are denied entirely (SIMD is no use to agents and those APIs mix arithmetic with
/// unchecked loads, stores and reinterpretation — <c>Vector.LoadUnsafe</c> escaped the sandbox); <c>Span</c>,
/// <c>ReadOnlySpan</c>, <c>Memory</c> are allowed over arrays and strings through their checked constructors,
/// <c>AsSpan</c> and slicing; <c>BitConverter</c> is allowed (array and span overloads are bounds-checked; it has no
/// ref overloads, and the signature rule would refuse one), and so is <c>BinaryPrimitives</c> (spans only); <c>ArrayPool</c> (a process-wide
/// pool leaks one session's data into another's arrays), <c>Interlocked</c>/<c>Volatile</c> (threads are denied),
/// <c>MemoryMarshal</c>, <c>CollectionsMarshal</c>, <c>Unsafe</c>, <c>Marshal</c>, <c>GCHandle</c>,
/// <c>RuntimeHelpers</c> and <c>DefaultInterpolatedStringHandler</c> (a copied handler writes into a pooled buffer
/// after returning it) are not on the list; <c>Array.Resize(ref T[])</c> is reviewed (a reference to an array
/// variable, never to an element plus an offset).
/// </summary>
internal static class PolicyRules
{
    /// <summary>Why a member or type off the list is refused when no more specific reason is known.</summary>
    public const string NotAllowed = "not on the sandbox allow-list";

    /// <summary>Types allowed with all their public members (subject to the signature and reference rules).</summary>
    private static readonly HashSet<string> AllowedTypes =
    [
        // System: primitives and core data types.
        "System.Object", "System.String", "System.Boolean", "System.Char", "System.Byte", "System.SByte", "System.Int16",
        "System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Int128", "System.UInt128",
        "System.Half", "System.Single", "System.Double", "System.Decimal", "System.Void", "System.ValueType", "System.Enum",
        "System.Array", "System.Nullable", "System.Nullable`1", "System.Math", "System.MathF", "System.Convert",
        "System.BitConverter", "System.Random", "System.Guid", "System.HashCode", "System.Version", "System.Uri",
        "System.UriKind", "System.UriComponents", "System.UriFormat", "System.DateTime", "System.DateTimeOffset",
        "System.DateTimeKind", "System.DayOfWeek", "System.TimeSpan", "System.DateOnly", "System.TimeOnly",
        "System.StringComparison", "System.StringComparer", "System.StringSplitOptions", "System.MidpointRounding",
        "System.Base64FormattingOptions", "System.TypeCode", "System.Index", "System.Range", "System.Span`1",
        "System.ReadOnlySpan`1", "System.Memory`1", "System.ReadOnlyMemory`1", "System.ArraySegment`1",
        "System.MemoryExtensions", "System.Lazy`1", "System.Lazy`2", "System.FormattableString", "System.CharEnumerator",
        "System.IComparable", "System.IComparable`1", "System.IEquatable`1", "System.IFormattable", "System.IFormatProvider",
        "System.ICloneable", "System.IDisposable", "System.IConvertible", "System.ISpanFormattable",
        "System.IUtf8SpanFormattable", "System.IParsable`1", "System.ISpanParsable`1", "System.IObservable`1",
        "System.IObserver`1", "System.Comparison`1", "System.Converter`2", "System.Predicate`1", "System.EventArgs",
        "System.EventHandler", "System.EventHandler`1", "System.Attribute", "System.AttributeUsageAttribute",
        "System.AttributeTargets", "System.FlagsAttribute", "System.ObsoleteAttribute", "System.SerializableAttribute",
        "System.Tuple", "System.ValueTuple", "System.TupleExtensions", "System.Action",
        // System: exceptions agent code throws and catches (data only; TargetSite and friends fail the signature rule).
        "System.Exception", "System.SystemException", "System.ApplicationException", "System.ArgumentException",
        "System.ArgumentNullException", "System.ArgumentOutOfRangeException", "System.ArithmeticException",
        "System.DivideByZeroException", "System.OverflowException", "System.NotFiniteNumberException",
        "System.FormatException", "System.IndexOutOfRangeException", "System.InvalidCastException",
        "System.InvalidOperationException", "System.NotImplementedException", "System.NotSupportedException",
        "System.NullReferenceException", "System.ObjectDisposedException", "System.OperationCanceledException",
        "System.TimeoutException", "System.AggregateException", "System.RankException", "System.ArrayTypeMismatchException",
        "System.UriFormatException", "System.InsufficientExecutionStackException", "System.OutOfMemoryException",
        "System.PlatformNotSupportedException",
        // String.Create's callbacks: they receive a bounds-checked span.
        "System.Buffers.SpanAction`2", "System.Buffers.ReadOnlySpanAction`2",
        // Endian reads and writes over spans: bounds-checked (it has no ref overloads; the signature rule would refuse one).
        "System.Buffers.Binary.BinaryPrimitives",

        // Collections.
        "System.Collections.Generic.CollectionExtensions", "System.Collections.Generic.Comparer`1",
        "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.EqualityComparer`1",
        "System.Collections.Generic.HashSet`1", "System.Collections.Generic.ICollection`1",
        "System.Collections.Generic.IComparer`1", "System.Collections.Generic.IDictionary`2",
        "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.IEnumerator`1",
        "System.Collections.Generic.IEqualityComparer`1", "System.Collections.Generic.IList`1",
        "System.Collections.Generic.IReadOnlyCollection`1", "System.Collections.Generic.IReadOnlyDictionary`2",
        "System.Collections.Generic.IReadOnlyList`1", "System.Collections.Generic.IReadOnlySet`1",
        "System.Collections.Generic.ISet`1", "System.Collections.Generic.KeyNotFoundException",
        "System.Collections.Generic.KeyValuePair", "System.Collections.Generic.KeyValuePair`2",
        "System.Collections.Generic.LinkedList`1", "System.Collections.Generic.LinkedListNode`1",
        "System.Collections.Generic.List`1", "System.Collections.Generic.OrderedDictionary`2",
        "System.Collections.Generic.PriorityQueue`2", "System.Collections.Generic.Queue`1",
        "System.Collections.Generic.ReferenceEqualityComparer", "System.Collections.Generic.SortedDictionary`2",
        "System.Collections.Generic.SortedList`2", "System.Collections.Generic.SortedSet`1",
        "System.Collections.Generic.Stack`1",
        "System.Collections.ArrayList", "System.Collections.BitArray", "System.Collections.Hashtable",
        "System.Collections.Queue", "System.Collections.Stack", "System.Collections.SortedList",
        "System.Collections.DictionaryEntry", "System.Collections.Comparer", "System.Collections.CaseInsensitiveComparer",
        "System.Collections.StructuralComparisons", "System.Collections.ICollection", "System.Collections.IComparer",
        "System.Collections.IDictionary", "System.Collections.IDictionaryEnumerator", "System.Collections.IEnumerable",
        "System.Collections.IEnumerator", "System.Collections.IEqualityComparer", "System.Collections.IList",
        "System.Collections.IStructuralComparable", "System.Collections.IStructuralEquatable",
        "System.Collections.Concurrent.ConcurrentDictionary`2", "System.Collections.Concurrent.ConcurrentQueue`1",
        "System.Collections.Concurrent.ConcurrentStack`1", "System.Collections.Concurrent.ConcurrentBag`1",
        "System.Collections.Concurrent.IProducerConsumerCollection`1",
        "System.Collections.ObjectModel.Collection`1", "System.Collections.ObjectModel.KeyedCollection`2",
        "System.Collections.ObjectModel.ReadOnlyCollection", "System.Collections.ObjectModel.ReadOnlyCollection`1",
        "System.Collections.ObjectModel.ReadOnlyDictionary`2", "System.Collections.ObjectModel.ReadOnlySet`1",
        "System.Collections.ObjectModel.ObservableCollection`1",
        "System.Collections.ObjectModel.ReadOnlyObservableCollection`1",

        // LINQ to objects (not Queryable: expression trees).
        "System.Linq.Enumerable", "System.Linq.IGrouping`2", "System.Linq.ILookup`2", "System.Linq.IOrderedEnumerable`1",
        "System.Linq.Lookup`2",

        // Text.
        "System.Text.StringBuilder", "System.Text.Encoding", "System.Text.UTF8Encoding", "System.Text.ASCIIEncoding",
        "System.Text.UnicodeEncoding", "System.Text.UTF32Encoding", "System.Text.Rune", "System.Text.NormalizationForm",
        "System.Text.CompositeFormat", "System.Text.StringRuneEnumerator", "System.Text.SpanLineEnumerator",
        "System.Text.SpanRuneEnumerator",
        "System.Text.RegularExpressions.Regex", "System.Text.RegularExpressions.Match",
        "System.Text.RegularExpressions.MatchCollection", "System.Text.RegularExpressions.Group",
        "System.Text.RegularExpressions.GroupCollection", "System.Text.RegularExpressions.Capture",
        "System.Text.RegularExpressions.CaptureCollection", "System.Text.RegularExpressions.MatchEvaluator",
        "System.Text.RegularExpressions.RegexOptions", "System.Text.RegularExpressions.RegexMatchTimeoutException",
        "System.Text.RegularExpressions.RegexParseException", "System.Text.RegularExpressions.RegexParseError",
        "System.Text.RegularExpressions.ValueMatch",

        // Globalization.
        "System.Globalization.CultureInfo", "System.Globalization.CompareInfo", "System.Globalization.CompareOptions",
        "System.Globalization.NumberStyles", "System.Globalization.DateTimeStyles", "System.Globalization.NumberFormatInfo",
        "System.Globalization.DateTimeFormatInfo", "System.Globalization.TextInfo", "System.Globalization.StringInfo",
        "System.Globalization.TextElementEnumerator", "System.Globalization.UnicodeCategory",
        "System.Globalization.CharUnicodeInfo", "System.Globalization.Calendar", "System.Globalization.GregorianCalendar",
        "System.Globalization.CalendarWeekRule", "System.Globalization.ISOWeek", "System.Globalization.TimeSpanStyles",
        "System.Globalization.CultureNotFoundException",

        // Numerics: big integers, complex numbers, bit tricks on values, the generic-math interfaces. Not the SIMD
        // vectors, matrices, planes or quaternions (see the summary).
        "System.Numerics.BigInteger", "System.Numerics.Complex", "System.Numerics.BitOperations",
        "System.Numerics.TotalOrderIeee754Comparer`1",
        "System.Numerics.IAdditionOperators`3", "System.Numerics.IAdditiveIdentity`2",
        "System.Numerics.IBinaryFloatingPointIeee754`1", "System.Numerics.IBinaryInteger`1",
        "System.Numerics.IBinaryNumber`1", "System.Numerics.IBitwiseOperators`3", "System.Numerics.IComparisonOperators`3",
        "System.Numerics.IDecrementOperators`1", "System.Numerics.IDivisionOperators`3",
        "System.Numerics.IEqualityOperators`3", "System.Numerics.IExponentialFunctions`1",
        "System.Numerics.IFloatingPointConstants`1", "System.Numerics.IFloatingPointIeee754`1",
        "System.Numerics.IFloatingPoint`1", "System.Numerics.IHyperbolicFunctions`1",
        "System.Numerics.IIncrementOperators`1", "System.Numerics.ILogarithmicFunctions`1",
        "System.Numerics.IMinMaxValue`1", "System.Numerics.IModulusOperators`3",
        "System.Numerics.IMultiplicativeIdentity`2", "System.Numerics.IMultiplyOperators`3",
        "System.Numerics.INumberBase`1", "System.Numerics.INumber`1", "System.Numerics.IPowerFunctions`1",
        "System.Numerics.IRootFunctions`1", "System.Numerics.IShiftOperators`3", "System.Numerics.ISignedNumber`1",
        "System.Numerics.ISubtractionOperators`3", "System.Numerics.ITrigonometricFunctions`1",
        "System.Numerics.IUnaryNegationOperators`2", "System.Numerics.IUnaryPlusOperators`2",
        "System.Numerics.IUnsignedNumber`1",

        // JSON: serializer, DOM, nodes, the attributes and converters agents put on their own records.
        "System.Text.Json.JsonSerializer", "System.Text.Json.JsonSerializerOptions", "System.Text.Json.JsonSerializerDefaults",
        "System.Text.Json.JsonDocument", "System.Text.Json.JsonDocumentOptions", "System.Text.Json.JsonElement",
        "System.Text.Json.JsonProperty", "System.Text.Json.JsonValueKind", "System.Text.Json.JsonException",
        "System.Text.Json.JsonNamingPolicy", "System.Text.Json.JsonCommentHandling", "System.Text.Json.JsonTokenType",
        "System.Text.Json.JsonEncodedText", "System.Text.Json.JsonReaderOptions", "System.Text.Json.JsonWriterOptions",
        "System.Text.Json.JsonReaderState", "System.Text.Json.Utf8JsonReader", "System.Text.Json.Utf8JsonWriter",
        "System.Text.Json.Nodes.JsonNode", "System.Text.Json.Nodes.JsonObject", "System.Text.Json.Nodes.JsonArray",
        "System.Text.Json.Nodes.JsonValue", "System.Text.Json.Nodes.JsonNodeOptions",
        "System.Text.Json.Serialization.JsonAttribute", "System.Text.Json.Serialization.JsonPropertyNameAttribute",
        "System.Text.Json.Serialization.JsonIgnoreAttribute", "System.Text.Json.Serialization.JsonIgnoreCondition",
        "System.Text.Json.Serialization.JsonIncludeAttribute", "System.Text.Json.Serialization.JsonConstructorAttribute",
        "System.Text.Json.Serialization.JsonPropertyOrderAttribute", "System.Text.Json.Serialization.JsonRequiredAttribute",
        "System.Text.Json.Serialization.JsonExtensionDataAttribute",
        "System.Text.Json.Serialization.JsonNumberHandling", "System.Text.Json.Serialization.JsonNumberHandlingAttribute",
        "System.Text.Json.Serialization.JsonKnownNamingPolicy", "System.Text.Json.Serialization.JsonUnmappedMemberHandling",
        "System.Text.Json.Serialization.JsonUnmappedMemberHandlingAttribute",
        "System.Text.Json.Serialization.JsonObjectCreationHandling",
        "System.Text.Json.Serialization.JsonObjectCreationHandlingAttribute",
        "System.Text.Json.Serialization.JsonPolymorphicAttribute", "System.Text.Json.Serialization.JsonDerivedTypeAttribute",
        "System.Text.Json.Serialization.JsonUnknownDerivedTypeHandling",
        "System.Text.Json.Serialization.JsonUnknownTypeHandling",
        "System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute",
        "System.Text.Json.Serialization.JsonConverter", "System.Text.Json.Serialization.JsonConverter`1",
        "System.Text.Json.Serialization.JsonConverterFactory", "System.Text.Json.Serialization.JsonConverterAttribute",
        "System.Text.Json.Serialization.JsonStringEnumConverter", "System.Text.Json.Serialization.JsonStringEnumConverter`1",
        "System.Text.Json.Serialization.JsonNumberEnumConverter`1", "System.Text.Json.Serialization.ReferenceHandler",
        "System.Text.Json.Serialization.IJsonOnDeserialized", "System.Text.Json.Serialization.IJsonOnDeserializing",
        "System.Text.Json.Serialization.IJsonOnSerialized", "System.Text.Json.Serialization.IJsonOnSerializing",

        // Strings as readers and writers (Console.Out is a TextWriter), and a clock for timing.
        "System.IO.TextWriter", "System.IO.TextReader", "System.IO.StringWriter", "System.IO.StringReader",
        "System.Diagnostics.Stopwatch",
    ];

    /// <summary>Delegate and tuple families, listed by arity so that every allowed name is a real type.</summary>
    private static readonly IEnumerable<string> GenericFamilies =
        Enumerable.Range(1, 16).Select(n => $"System.Action`{n}")
            .Concat(Enumerable.Range(1, 17).Select(n => $"System.Func`{n}"))
            .Concat(Enumerable.Range(1, 8).Select(n => $"System.Tuple`{n}"))
            .Concat(Enumerable.Range(1, 8).Select(n => $"System.ValueTuple`{n}"));

    /// <summary>Types allowed member by member; any other member of these types is denied with the type's reason.</summary>
    private static readonly Dictionary<string, (string Reason, HashSet<string> Members)> AllowedMembersOnly = new()
    {
        ["System.Type"] = ("reflection", ["Name", "FullName", "Namespace", "ToString", "Equals", "GetHashCode", "IsArray",
            "IsEnum", "IsValueType", "IsPrimitive", "IsGenericType", "IsClass", "IsInterface", "op_Equality", "op_Inequality"]),
        ["System.Console"] = ("console input and redirection", ["Write", "WriteLine", "Out", "Error"]),
        ["System.Delegate"] = ("reflection", ["Invoke", "Equals", "GetHashCode", "ToString", "Combine", "Remove",
            "op_Equality", "op_Inequality"]),
        ["System.MulticastDelegate"] = ("reflection", ["Invoke", "Equals", "GetHashCode", "ToString", "op_Equality",
            "op_Inequality"]),
        ["System.Environment"] = ("environment (exit, variables, process state)", ["NewLine", "TickCount", "TickCount64"]),
        // Type inherits Name from MemberInfo: allow that much of reflection's base class, nothing else. The type itself
        // stays denied (it is not in AllowedTypes), so no member whose signature names MemberInfo passes.
        ["System.Reflection.MemberInfo"] = ("reflection", ["Name", "ToString", "Equals", "GetHashCode"]),
    };

    /// <summary>Members denied on otherwise allowed types (metadata names: properties by name, constructors <c>.ctor</c>).</summary>
    private static readonly Dictionary<string, Dictionary<string, string>> DeniedMembers = new()
    {
        // Process-wide defaults that would leak into other sessions' snippets (the current culture is reset per snippet).
        ["System.Globalization.CultureInfo"] = new()
        {
            ["DefaultThreadCurrentCulture"] = "process-wide state",
            ["DefaultThreadCurrentUICulture"] = "process-wide state",
        },
        // Global pool of interned strings: harmless, but shared by every session (a covert channel for nothing).
        ["System.String"] = new() { ["Intern"] = "process-wide state", ["IsInterned"] = "process-wide state" },
        // Regex's static cache is shared by every session.
        ["System.Text.RegularExpressions.Regex"] = new() { ["CacheSize"] = "process-wide state" },
    };

    /// <summary>
    /// Framework members allowed although they look like raw memory access (they return by reference, take a
    /// <c>ref</c>/<c>in</c> parameter, or change a view's element type), each with the reason it cannot reach past
    /// the memory it names. Keys: containing type's metadata name (nested types joined with <c>+</c>), a dot, the
    /// member's metadata name (<c>Item</c> for indexers, <c>.ctor</c> for constructors); all overloads share a key.
    /// </summary>
    private static readonly Dictionary<string, string> ReviewedMembers = new()
    {
        ["System.Span`1.Item"] = "returns ref T to one element, bounds-checked against the span's length",
        ["System.ReadOnlySpan`1.Item"] = "returns ref readonly T to one element, bounds-checked against the span's length",
        ["System.Span`1+Enumerator.Current"] = "ref to the current element; the enumerator stays inside the span",
        ["System.ReadOnlySpan`1+Enumerator.Current"] = "ref readonly to the current element; the enumerator stays inside the span",
        ["System.Array.Resize"] = "ref T[] is the array variable; the method replaces the array, it never offsets into it",
        ["System.Text.Json.Serialization.JsonConverter`1.Read"] =
            "ref Utf8JsonReader: the reader struct is advanced in place; it reads its own bounds-checked span",
        ["System.Text.Json.Serialization.JsonConverter`1.ReadAsPropertyName"] =
            "ref Utf8JsonReader, advanced in place (see Read)",
        ["System.Text.Json.JsonDocument.ParseValue"] = "ref Utf8JsonReader, advanced in place (see Read)",
        ["System.Text.Json.JsonDocument.TryParseValue"] = "ref Utf8JsonReader, advanced in place (see Read)",
        ["System.Text.Json.JsonElement.ParseValue"] = "ref Utf8JsonReader, advanced in place (see Read)",
        ["System.Text.Json.JsonElement.TryParseValue"] = "ref Utf8JsonReader, advanced in place (see Read)",
        ["System.Text.Json.Nodes.JsonNode.Parse"] = "ref Utf8JsonReader overload, advanced in place (see Read)",
        ["System.Text.Json.JsonSerializer.Deserialize"] = "ref Utf8JsonReader overloads, advanced in place (see Read)",
        ["System.ReadOnlySpan`1.CastUp"] =
            "covariant view of references (TDerived : class, T): a reference conversion the type system checks, no bytes reinterpreted",
    };

    /// <summary>
    /// Parameter types a framework member may take by <c>ref</c>: interpolated-string handlers the compiler builds
    /// for <c>$"…"</c> arguments. They append to a builder or a bounds-checked span; nothing offsets a reference.
    /// </summary>
    private static readonly HashSet<string> ReviewedByRefParameterTypes =
    [
        "System.Text.StringBuilder+AppendInterpolatedStringHandler",
        "System.MemoryExtensions+TryWriteInterpolatedStringHandler",
    ];

    /// <summary>Denied types whose refusal deserves a specific reason (none of them is on the allow-list).</summary>
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
        ["System.ArgIterator"] = "undocumented reference tricks",
        ["System.RuntimeArgumentHandle"] = "undocumented reference tricks",
        ["System.RuntimeTypeHandle"] = "reflection",
        ["System.RuntimeMethodHandle"] = "reflection",
        ["System.RuntimeFieldHandle"] = "reflection",
        ["System.ModuleHandle"] = "reflection",
        ["System.TimeZoneInfo"] = "file system",
        ["System.Threading.Timer"] = "timers that outlive the snippet",
        ["System.Timers.Timer"] = "timers that outlive the snippet",
        ["System.Numerics.Vector"] = "raw memory (SIMD loads, stores and reinterpretation)",
        ["System.Numerics.Vector`1"] = "raw memory (SIMD loads, stores and reinterpretation)",
        ["System.Numerics.Vector2"] = "raw memory (SIMD loads, stores and reinterpretation)",
        ["System.Numerics.Vector3"] = "raw memory (SIMD loads, stores and reinterpretation)",
        ["System.Numerics.Vector4"] = "raw memory (SIMD loads, stores and reinterpretation)",
        ["System.Numerics.Matrix3x2"] = "raw memory (SIMD loads, stores and reinterpretation)",
        ["System.Numerics.Matrix4x4"] = "raw memory (SIMD loads, stores and reinterpretation)",
        ["System.Numerics.Plane"] = "raw memory (SIMD loads, stores and reinterpretation)",
        ["System.Numerics.Quaternion"] = "raw memory (SIMD loads, stores and reinterpretation)",
        ["System.Buffers.ArrayPool`1"] = "a process-wide pool shared with other sessions",
        ["System.Runtime.CompilerServices.DefaultInterpolatedStringHandler"] = "pooled buffers",
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
        ("System.Buffers", "raw memory"),
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

    /// <summary>The globals type: its public members (FinalAnswer, tool calls) are the sandbox's API.</summary>
    private const string GlobalsType = "AgentKit.Sandbox.Scripting.ScriptGlobals";

    /// <summary>Every type name on the allow-list, whole or member by member (what the member audit iterates).</summary>
    public static IEnumerable<string> AllowedTypeNames =>
        AllowedTypes.Concat(GenericFamilies).Concat(AllowedMembersOnly.Keys.Where(k => k != "System.Reflection.MemberInfo"));

    private static readonly HashSet<string> AllowedWhole = [.. AllowedTypes, .. GenericFamilies];

    /// <summary>Why a reference to type <paramref name="fullName"/> (outermost type, metadata name) in <paramref name="ns"/> is denied; null when allowed.</summary>
    public static string? CheckType(string ns, string fullName)
    {
        if (fullName == GlobalsType) return null;
        if (DeniedTypes.TryGetValue(fullName, out var reason)) return reason;
        if (AllowedWhole.Contains(fullName)) return null;
        if (AllowedMembersOnly.TryGetValue(fullName, out var restricted))
            return fullName == "System.Reflection.MemberInfo" ? restricted.Reason : null;
        foreach (var (prefix, why) in DeniedNamespaces)
        {
            if (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal)) return why;
        }
        return NotAllowed;
    }

    /// <summary>
    /// Why member <paramref name="member"/> (metadata name) of the type <paramref name="typeFullName"/> (outermost
    /// type, metadata name) is denied by name; null when its type allows it. The signature rules come on top.
    /// </summary>
    public static string? CheckMember(string ns, string typeFullName, string member)
    {
        if (AllowedMembersOnly.TryGetValue(typeFullName, out var restricted))
            return restricted.Members.Contains(member) ? null : restricted.Reason;
        if (DeniedMembers.TryGetValue(typeFullName, out var denied) && denied.TryGetValue(member, out var why)) return why;
        return CheckType(ns, typeFullName);
    }

    /// <summary>
    /// Whether the framework member <paramref name="memberKey"/> (<c>Type.Member</c>, see
    /// <see cref="ReviewedMembers"/>) was reviewed for taking or returning references.
    /// </summary>
    public static bool IsReviewed(string memberKey) => ReviewedMembers.ContainsKey(memberKey);

    /// <summary>Whether a <c>ref</c> parameter of type <paramref name="typeKey"/> (metadata name, <c>+</c> for nesting) is harmless.</summary>
    public static bool IsReviewedByRefParameterType(string typeKey) => ReviewedByRefParameterTypes.Contains(typeKey);

    /// <summary>The reviewed members, for the audit's report of what it let through.</summary>
    public static IReadOnlyDictionary<string, string> Reviewed => ReviewedMembers;
}
