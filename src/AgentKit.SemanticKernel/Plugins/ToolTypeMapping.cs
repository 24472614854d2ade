using System.Globalization;
using System.Reflection;
using System.Text;

namespace AgentKit.SemanticKernel.Plugins;

/// <summary>
/// Maps CLR types of kernel function parameters and results to the C# types agent code sees
/// (see <see cref="KernelPluginTools"/> for the table).
/// </summary>
internal static class ToolTypeMapping
{
    private static readonly Dictionary<Type, string> s_scalars = new()
    {
        [typeof(string)] = "string",
        [typeof(int)] = "int",
        [typeof(long)] = "long",
        [typeof(double)] = "double",
        [typeof(bool)] = "bool",
    };

    /// <summary>The C# type for a supported parameter type (scalars, arrays and lists of scalars), or null.</summary>
    public static string? ForParameter(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
            return s_scalars.TryGetValue(underlying, out var name) ? name + "?" : null;
        if (s_scalars.TryGetValue(type, out var scalar))
            return scalar;
        return ElementType(type) is { } element && s_scalars.TryGetValue(element, out var elementName) ? elementName + "[]" : null;
    }

    /// <summary>
    /// The C# result type and whether the value must be rendered as a JSON string: supported types map as
    /// parameters do; no result is <c>void</c>; anything else becomes a <c>string</c> holding its JSON.
    /// </summary>
    public static (string TypeName, bool AsJsonString) ForReturn(Type? type)
    {
        type = UnwrapTask(type);
        if (type is null || type == typeof(void))
            return ("void", false);
        return ForParameter(type) is { } name ? (name, false) : ("string", true);
    }

    /// <summary>
    /// For a result type that is a record-like class (public, non-generic, only mappable public properties) or an array
    /// or list of one: the C# result type (<c>Passage</c> or <c>Passage[]</c>) and the positional record declaring it. Else null.
    /// </summary>
    public static (string TypeName, string Declaration)? ForRecordReturn(Type? type)
    {
        type = UnwrapTask(type);
        if (type is null || type == typeof(void) || ForParameter(type) is not null)
            return null;
        var element = type.IsArray || type.IsGenericType ? ElementType(type) : null;
        var record = element ?? type;
        if (!IsRecordLike(record))
            return null;
        var fields = record.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => (p.Name, Type: ForParameter(p.PropertyType)))
            .ToList();
        if (fields.Count == 0 || fields.Any(f => f.Type is null))
            return null;
        var declaration = $"public record {record.Name}({string.Join(", ", fields.Select(f => $"{f.Type} {f.Name}"))});";
        return (element is null ? record.Name : record.Name + "[]", declaration);
    }

    private static bool IsRecordLike(Type type) =>
        (type.IsPublic || type.IsNestedPublic) && !type.IsGenericType && !type.IsAbstract && !type.IsInterface && !type.IsEnum
        && !type.IsPrimitive && type != typeof(string) && !s_scalars.ContainsKey(type)
        && type.Name.All(c => char.IsLetterOrDigit(c) || c == '_') && !char.IsDigit(type.Name[0]);

    /// <summary>A C# literal for <paramref name="value"/> as a default of a parameter of C# type <paramref name="typeName"/>.</summary>
    public static string Literal(object? value, string typeName) => value switch
    {
        null => typeName.EndsWith('?') || typeName is "string" || typeName.EndsWith("[]", StringComparison.Ordinal) ? "null" : "default",
        bool b => b ? "true" : "false",
        string s when typeName.StartsWith("string", StringComparison.Ordinal) => Quote(s),
        // SK keeps defaults of some functions as text ("3"); the C# type decides how it is written.
        string s when typeName.StartsWith("bool", StringComparison.Ordinal) && bool.TryParse(s, out var b) => b ? "true" : "false",
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => s.Trim(),
        IFormattable f when value is int or long => f.ToString(null, CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        _ => "default",
    };

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
            return type.GetElementType();
        if (!type.IsGenericType)
            return null;
        var definition = type.GetGenericTypeDefinition();
        return definition == typeof(List<>) || definition == typeof(IList<>) || definition == typeof(IReadOnlyList<>)
               || definition == typeof(IEnumerable<>) || definition == typeof(ICollection<>) || definition == typeof(IReadOnlyCollection<>)
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static Type? UnwrapTask(Type? type)
    {
        if (type is null)
            return null;
        if (type == typeof(Task) || type == typeof(ValueTask))
            return typeof(void);
        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(Task<>) || type.GetGenericTypeDefinition() == typeof(ValueTask<>)))
            return type.GetGenericArguments()[0];
        return type;
    }

    private static string Quote(string s)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in s)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }
}
