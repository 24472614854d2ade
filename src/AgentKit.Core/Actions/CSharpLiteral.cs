using System.Globalization;
using System.Text;

namespace AgentKit.Core.Actions;

/// <summary>C# source text for values that agent code or teacher code embeds.</summary>
public static class CSharpLiteral
{
    /// <summary>
    /// A regular C# string literal for <paramref name="text"/>, exact for any text: quotes, backslashes and every control or
    /// line-separator character escaped.
    /// </summary>
    public static string Of(string text)
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
