using System.Globalization;

namespace AgentKit.Models.Gguf;

/// <summary>
/// One typed GGUF metadata value: a scalar, a string, or an array of one element type
/// (arrays of arrays hold <see cref="GgufValue"/> elements).
/// </summary>
public sealed class GgufValue
{
    private static readonly Dictionary<Type, GgufValueType> ElementTypes = new()
    {
        [typeof(byte)] = GgufValueType.UInt8, [typeof(sbyte)] = GgufValueType.Int8,
        [typeof(ushort)] = GgufValueType.UInt16, [typeof(short)] = GgufValueType.Int16,
        [typeof(uint)] = GgufValueType.UInt32, [typeof(int)] = GgufValueType.Int32,
        [typeof(float)] = GgufValueType.Float32, [typeof(bool)] = GgufValueType.Bool,
        [typeof(string)] = GgufValueType.String, [typeof(GgufValue)] = GgufValueType.Array,
        [typeof(ulong)] = GgufValueType.UInt64, [typeof(long)] = GgufValueType.Int64,
        [typeof(double)] = GgufValueType.Float64,
    };

    private GgufValue(GgufValueType type, object value, GgufValueType? elementType = null)
    {
        Type = type;
        Value = value;
        ElementType = elementType;
    }

    /// <summary>The value's type tag.</summary>
    public GgufValueType Type { get; }

    /// <summary>For arrays, the type of every element; null otherwise.</summary>
    public GgufValueType? ElementType { get; }

    /// <summary>The boxed scalar, the string, or for arrays a typed CLR array (e.g. <c>string[]</c>, <c>int[]</c>, <c>GgufValue[]</c>).</summary>
    public object Value { get; }

    /// <summary>Number of elements of an array value (0 for scalars).</summary>
    public int ArrayLength => Value is Array array && Type == GgufValueType.Array ? array.Length : 0;

    /// <summary>Creates a <see cref="GgufValueType.UInt8"/> value.</summary>
    public static GgufValue UInt8(byte value) => new(GgufValueType.UInt8, value);
    /// <summary>Creates a <see cref="GgufValueType.Int8"/> value.</summary>
    public static GgufValue Int8(sbyte value) => new(GgufValueType.Int8, value);
    /// <summary>Creates a <see cref="GgufValueType.UInt16"/> value.</summary>
    public static GgufValue UInt16(ushort value) => new(GgufValueType.UInt16, value);
    /// <summary>Creates a <see cref="GgufValueType.Int16"/> value.</summary>
    public static GgufValue Int16(short value) => new(GgufValueType.Int16, value);
    /// <summary>Creates a <see cref="GgufValueType.UInt32"/> value.</summary>
    public static GgufValue UInt32(uint value) => new(GgufValueType.UInt32, value);
    /// <summary>Creates a <see cref="GgufValueType.Int32"/> value.</summary>
    public static GgufValue Int32(int value) => new(GgufValueType.Int32, value);
    /// <summary>Creates a <see cref="GgufValueType.Float32"/> value.</summary>
    public static GgufValue Float32(float value) => new(GgufValueType.Float32, value);
    /// <summary>Creates a <see cref="GgufValueType.Bool"/> value.</summary>
    public static GgufValue Bool(bool value) => new(GgufValueType.Bool, value);
    /// <summary>Creates a <see cref="GgufValueType.UInt64"/> value.</summary>
    public static GgufValue UInt64(ulong value) => new(GgufValueType.UInt64, value);
    /// <summary>Creates a <see cref="GgufValueType.Int64"/> value.</summary>
    public static GgufValue Int64(long value) => new(GgufValueType.Int64, value);
    /// <summary>Creates a <see cref="GgufValueType.Float64"/> value.</summary>
    public static GgufValue Float64(double value) => new(GgufValueType.Float64, value);

    /// <summary>Creates a <see cref="GgufValueType.String"/> value.</summary>
    public static GgufValue String(string value) => new(GgufValueType.String, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>
    /// Creates an array value. <typeparamref name="T"/> must be a GGUF scalar CLR type (byte, sbyte, ushort,
    /// short, uint, int, float, bool, ulong, long, double), string, or <see cref="GgufValue"/> for nested arrays.
    /// </summary>
    public static GgufValue Array<T>(IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!ElementTypes.TryGetValue(typeof(T), out var elementType))
            throw new ArgumentException($"{typeof(T).Name} is not a GGUF array element type.");
        var array = items.ToArray();
        if (typeof(T) == typeof(string) && array.Any(item => item is null))
            throw new ArgumentException("GGUF string arrays cannot contain null.");
        if (typeof(T) == typeof(GgufValue) && array.Any(item => item is not GgufValue { Type: GgufValueType.Array }))
            throw new ArgumentException("Nested GGUF arrays may only contain array values.");
        return new GgufValue(GgufValueType.Array, array, elementType);
    }

    /// <summary>The string of a <see cref="GgufValueType.String"/> value.</summary>
    public string AsString() => Value as string ?? throw new InvalidCastException($"GGUF value is {Type}, not String.");

    /// <summary>Any integer or bool value widened to <see cref="long"/>.</summary>
    public long AsInt64() => Value switch
    {
        byte v => v, sbyte v => v, ushort v => v, short v => v, uint v => v, int v => v, long v => v,
        ulong v => v <= long.MaxValue ? (long)v : throw new OverflowException($"{v} does not fit in a long."),
        bool v => v ? 1 : 0,
        _ => throw new InvalidCastException($"GGUF value is {Type}, not an integer."),
    };

    /// <summary>Any numeric value widened to <see cref="double"/>.</summary>
    public double AsDouble() => Value switch
    {
        float v => v, double v => v,
        _ when Type is not (GgufValueType.String or GgufValueType.Array) => AsInt64(),
        _ => throw new InvalidCastException($"GGUF value is {Type}, not a number."),
    };

    /// <summary>The elements of an array value whose element type maps to <typeparamref name="T"/>.</summary>
    public IReadOnlyList<T> AsArray<T>() =>
        Value as T[] ?? throw new InvalidCastException($"GGUF value is not an array of {typeof(T).Name}.");

    /// <summary>A short human-readable rendering (long arrays are summarised).</summary>
    public override string ToString()
    {
        switch (Value)
        {
            case string s:
                return s.Length <= 80 ? s : string.Concat(s.AsSpan(0, 77), "...");
            case float f:
                return f.ToString("R", CultureInfo.InvariantCulture);
            case double d:
                return d.ToString("R", CultureInfo.InvariantCulture);
            case System.Array array:
                var head = array.Cast<object>().Take(4).Select(item => item is GgufValue nested ? nested.ToString() : Convert.ToString(item, CultureInfo.InvariantCulture));
                var more = array.Length > 4 ? ", ..." : "";
                return $"[{ElementType}; {array.Length}] [{string.Join(", ", head)}{more}]";
            default:
                return Convert.ToString(Value, CultureInfo.InvariantCulture) ?? "";
        }
    }
}
