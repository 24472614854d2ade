namespace AgentKit.Models.Gguf;

/// <summary>
/// Typed, bounded access to the metadata of a GGUF being validated: every getter checks the value's type and range
/// and turns a mismatch into a one-line <see cref="ModelLoadException"/> naming the key, so the rules that use it
/// read as a list of facts about the model.
/// </summary>
internal sealed class ModelFileCheck(GgufFile file, string path)
{
    public GgufFile File => file;

    /// <summary>The value of <c>general.architecture</c> (the validator checks it exists before any rule runs).</summary>
    public string Architecture => file.Architecture!;

    /// <summary>The architecture-scoped key, e.g. <c>llama.block_count</c>.</summary>
    public string Key(string suffix) => $"{Architecture}.{suffix}";

    public ModelLoadException Fail(string detail) =>
        new(ModelLoadFailure.Inconsistent, path, $"Model file '{path}' is inconsistent: {detail}.");

    /// <summary>An integer scalar in [<paramref name="min"/>, <paramref name="max"/>], or null when the key is absent.</summary>
    public long? Integer(string key, long min, long max)
    {
        if (!file.TryGet(key, out var value))
            return null;
        if (!IsInteger(value.Type))
            throw Fail($"'{key}' is a {Describe(value)}, not an integer");
        return InRange(key, ToInt64(value.Value), min, max);
    }

    /// <summary>Like <see cref="Integer"/> but the key must be present.</summary>
    public long RequiredInteger(string key, long min, long max) =>
        Integer(key, min, max) ?? throw Fail($"the required key '{key}' is missing");

    /// <summary>
    /// A per-layer integer: a scalar (the same for every layer) or an integer array of exactly
    /// <paramref name="layers"/> elements, as llama.cpp accepts for head and feed-forward counts. Null when absent.
    /// </summary>
    public long[]? PerLayer(string key, int layers, long min, long max)
    {
        if (!file.TryGet(key, out var value))
            return null;
        if (value.Type != GgufValueType.Array)
            return Enumerable.Repeat(Integer(key, min, max)!.Value, layers).ToArray();
        if (value.ElementType is not { } element || !IsInteger(element))
            throw Fail($"'{key}' is a {Describe(value)}, not an integer or an array of integers");
        var items = (Array)value.Value;
        if (items.Length != layers)
            throw Fail($"'{key}' has {items.Length} per-layer values but the model has {layers} layers");
        var result = new long[layers];
        for (var i = 0; i < layers; i++)
            result[i] = InRange($"{key}[{i}]", ToInt64(items.GetValue(i)!), min, max);
        return result;
    }

    /// <summary>A float scalar (any numeric type widens), or null when absent; NaN and infinities are refused.</summary>
    public double? Float(string key)
    {
        if (!file.TryGet(key, out var value))
            return null;
        if (value.Type is GgufValueType.String or GgufValueType.Array or GgufValueType.Bool)
            throw Fail($"'{key}' is a {Describe(value)}, not a number");
        var number = value.Value is ulong big ? big : value.AsDouble();
        if (!double.IsFinite(number))
            throw Fail($"'{key}' is {value}, not a finite number");
        return number;
    }

    /// <summary>A string scalar, or null when absent.</summary>
    public string? String(string key)
    {
        if (!file.TryGet(key, out var value))
            return null;
        return value.Type == GgufValueType.String ? value.AsString() : throw Fail($"'{key}' is a {Describe(value)}, not a string");
    }

    /// <summary>An array whose elements are all <paramref name="element"/>, or null when absent.</summary>
    public T[]? ArrayOf<T>(string key, GgufValueType element)
    {
        if (!file.TryGet(key, out var value))
            return null;
        if (value.Type != GgufValueType.Array || value.ElementType != element)
            throw Fail($"'{key}' is a {Describe(value)}, not an array of {element}");
        return (T[])value.Value;
    }

    public static bool IsInteger(GgufValueType type) => type is GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.UInt16
        or GgufValueType.Int16 or GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.UInt64 or GgufValueType.Int64;

    private long InRange(string key, long number, long min, long max) =>
        number >= min && number <= max ? number : throw Fail($"'{key}' is {number}, outside the possible range {min} to {max}");

    // A UInt64 beyond long.MaxValue saturates: it is out of every range the rules allow anyway.
    private static long ToInt64(object value) => value switch
    {
        ulong big when big > long.MaxValue => long.MaxValue,
        byte v => v, sbyte v => v, ushort v => v, short v => v, uint v => v, int v => v, long v => v, ulong v => (long)v,
        _ => throw new InvalidCastException($"{value.GetType().Name} is not an integer."),
    };

    private static string Describe(GgufValue value) =>
        value.Type == GgufValueType.Array ? $"array of {value.ElementType}" : value.Type.ToString();
}
