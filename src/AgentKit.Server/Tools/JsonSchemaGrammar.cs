using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentKit.Server.Tools;

/// <summary>
/// Writes GBNF (llama.cpp's grammar syntax) for JSON values, used to constrain a model's output to a JSON object
/// (<c>response_format</c>) or to a tool call whose arguments follow the tool's schema. The schema subset followed:
/// <c>type</c> object (every declared property, in declared order), array (<c>items</c>), string (with <c>enum</c>
/// or <c>const</c>), integer, number, boolean, null. Anything else (<c>anyOf</c>, <c>$ref</c>, no <c>type</c>) is
/// any JSON value: the output is always JSON, and follows the schema where the schema uses the subset.
/// </summary>
internal sealed class JsonSchemaGrammar
{
    // From llama.cpp's grammars/json.gbnf, with whitespace limited so a model cannot stall on blanks.
    private const string GenericRules = """
        value ::= object | array | string | number | ("true" | "false" | "null")
        object ::= "{" ws ( string ":" ws value ( "," ws string ":" ws value )* )? ws "}"
        array ::= "[" ws ( value ( "," ws value )* )? ws "]"
        string ::= "\"" ( [^"\\\x7F\x00-\x1F] | "\\" ( ["\\/bfnrt] | "u" [0-9a-fA-F]{4} ) )* "\""
        integer ::= "-"? ( [0-9] | [1-9] [0-9]{1,15} )
        number ::= integer ( "." [0-9]{1,16} )? ( [eE] [-+]? [0-9]{1,3} )?
        ws ::= " "?
        """;

    private readonly StringBuilder _rules = new();
    private int _next;

    /// <summary>A complete grammar whose <c>root</c> is any JSON object.</summary>
    public static string AnyObject() => "root ::= object\n" + GenericRules + "\n";

    /// <summary>A complete grammar whose <c>root</c> is a value following <paramref name="schema"/>.</summary>
    public static string ForSchema(JsonNode? schema)
    {
        var grammar = new JsonSchemaGrammar();
        var root = grammar.Rule(schema, depth: 0);
        return $"root ::= {root}\n" + RulesOf(grammar);
    }

    /// <summary>The rules <paramref name="grammar"/> defined so far, followed by the generic JSON rules they use.</summary>
    public static string RulesOf(JsonSchemaGrammar grammar) => $"{grammar._rules}{GenericRules}\n";

    /// <summary>Adds rules for <paramref name="schema"/> and returns the GBNF expression that matches it.</summary>
    public string Rule(JsonNode? schema, int depth)
    {
        if (schema is not JsonObject obj || depth > 16)
            return "value";
        if (obj["enum"] is JsonArray values && values.Count > 0)
            return "(" + string.Join(" | ", values.Select(v => Literal(v?.ToJsonString() ?? "null"))) + ")";
        if (obj["const"] is { } constant)
            return Literal(constant.ToJsonString());

        var type = obj["type"] is JsonValue t && t.TryGetValue<string>(out var name) ? name : null;
        return type switch
        {
            "string" => "string",
            "integer" => "integer",
            "number" => "number",
            "boolean" => "(\"true\" | \"false\")",
            "null" => "\"null\"",
            "array" => Define($"\"[\" ws ( {Rule(obj["items"], depth + 1)} ( \",\" ws {Rule(obj["items"], depth + 1)} )* )? ws \"]\""),
            "object" when obj["properties"] is JsonObject properties => Object(properties, depth),
            "object" => "object",
            _ => "value",
        };
    }

    private string Object(JsonObject properties, int depth)
    {
        if (properties.Count == 0)
            return "\"{}\"";
        var members = properties.Select(p => $"{Literal(JsonSerializer.Serialize(p.Key))} \":\" ws {Rule(p.Value, depth + 1)}");
        return Define("\"{\" ws " + string.Join(" \",\" ws ", members) + " ws \"}\"");
    }

    private string Define(string expression)
    {
        var name = $"schema{_next++}";
        _rules.Append(name).Append(" ::= ").Append(expression).Append('\n');
        return name;
    }

    /// <summary>A GBNF string literal matching <paramref name="text"/> exactly.</summary>
    public static string Literal(string text)
    {
        var literal = new StringBuilder("\"");
        foreach (var c in text)
        {
            _ = c switch
            {
                '"' => literal.Append("\\\""),
                '\\' => literal.Append("\\\\"),
                '\n' => literal.Append("\\n"),
                '\r' => literal.Append("\\r"),
                '\t' => literal.Append("\\t"),
                _ => literal.Append(c),
            };
        }
        return literal.Append('"').ToString();
    }
}
