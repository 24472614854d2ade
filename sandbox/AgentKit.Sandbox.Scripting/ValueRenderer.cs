using System.Collections;
using System.Globalization;
using System.Text;

namespace AgentKit.Sandbox.Scripting;

/// <summary>
/// Renders a snippet's return value (or final answer) as text the model can read: invariant culture,
/// collections as <c>[a, b]</c>, dictionaries as <c>{k: v}</c>, bounded in size and depth.
/// </summary>
internal static class ValueRenderer
{
    private const int MaxItems = 100;
    private const int MaxDepth = 4;

    /// <summary>Renders <paramref name="value"/>, cut to <paramref name="maxChars"/> characters.</summary>
    public static string Render(object? value, int maxChars)
    {
        var text = new StringBuilder();
        Append(text, value, 0, maxChars);
        return text.Length > maxChars ? text.ToString(0, maxChars) + "…" : text.ToString();
    }

    private static void Append(StringBuilder text, object? value, int depth, int maxChars)
    {
        if (text.Length > maxChars) return;
        switch (value)
        {
            case null:
                text.Append("null");
                return;
            case string s:
                text.Append(depth == 0 ? s : Quote(s));
                return;
            case bool b:
                text.Append(b ? "true" : "false");
                return;
            case char c:
                text.Append(depth == 0 ? c.ToString() : $"'{c}'");
                return;
            case double d:
                text.Append(d.ToString("R", CultureInfo.InvariantCulture));
                return;
            case float f:
                text.Append(f.ToString("R", CultureInfo.InvariantCulture));
                return;
            case IFormattable formattable when value.GetType().IsPrimitive || value is decimal or DateTime or DateTimeOffset or TimeSpan or Guid:
                text.Append(formattable.ToString(null, CultureInfo.InvariantCulture));
                return;
            case IDictionary dictionary when depth < MaxDepth:
                AppendDictionary(text, dictionary, depth, maxChars);
                return;
            case IEnumerable sequence when depth < MaxDepth && !HasOwnToString(value):
                AppendSequence(text, sequence, depth, maxChars);
                return;
            default:
                text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
        }
    }

    private static void AppendSequence(StringBuilder text, IEnumerable sequence, int depth, int maxChars)
    {
        text.Append('[');
        var count = 0;
        foreach (var item in sequence)
        {
            if (count > 0) text.Append(", ");
            if (count == MaxItems || text.Length > maxChars)
            {
                text.Append('…');
                break;
            }
            Append(text, item, depth + 1, maxChars);
            count++;
        }
        text.Append(']');
    }

    private static void AppendDictionary(StringBuilder text, IDictionary dictionary, int depth, int maxChars)
    {
        text.Append('{');
        var count = 0;
        foreach (DictionaryEntry entry in dictionary)
        {
            if (count > 0) text.Append(", ");
            if (count == MaxItems || text.Length > maxChars)
            {
                text.Append('…');
                break;
            }
            Append(text, entry.Key, depth + 1, maxChars);
            text.Append(": ");
            Append(text, entry.Value, depth + 1, maxChars);
            count++;
        }
        text.Append('}');
    }

    private static string Quote(string s) => "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    // Records and user types that override ToString say how they want to look; plain collections do not.
    private static bool HasOwnToString(object value)
    {
        var method = value.GetType().GetMethod(nameof(ToString), Type.EmptyTypes);
        var declaring = method?.DeclaringType;
        return declaring is not null && declaring != typeof(object) && declaring.Assembly != typeof(object).Assembly
            && declaring.Assembly != typeof(List<>).Assembly && declaring.Assembly != typeof(Enumerable).Assembly;
    }
}
