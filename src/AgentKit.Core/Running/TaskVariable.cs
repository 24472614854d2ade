using System.Globalization;
using System.Text;

namespace AgentKit.Core.Running;

/// <summary>
/// The statement that puts the task text into the agent's code session as a string variable
/// (<see cref="Definitions.AgentDefinition.TaskVariable"/>), run once before the first action.
/// </summary>
internal static class TaskVariable
{
    /// <summary><c>var name = "…";</c> with <paramref name="text"/> as an exact C# string literal.</summary>
    public static string Declaration(string name, string text) => $"var {name} = {Literal(text)};";

    /// <summary>A regular C# string literal: quotes, backslashes and every control or line-separator character escaped.</summary>
    public static string Literal(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                // Control characters and the Unicode line terminators cannot appear raw in a C# string literal.
                case var _ when char.IsControl(c) || c is '\u0085' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }
        return sb.Append('"').ToString();
    }
}
