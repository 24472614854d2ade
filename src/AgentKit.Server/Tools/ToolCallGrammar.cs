namespace AgentKit.Server.Tools;

/// <summary>
/// The GBNF grammar that forces one tool call (<c>tool_choice</c> "required" or a named function): exactly the
/// text <see cref="ToolPrompt"/> teaches, with the name one of the allowed functions and the arguments following
/// that function's parameter schema (see <see cref="JsonSchemaGrammar"/> for the subset).
/// </summary>
internal static class ToolCallGrammar
{
    /// <summary>The grammar for <paramref name="tools"/>, or null when its choice does not force a call.</summary>
    public static string? For(ToolSet tools)
    {
        if (tools.Mode is not (ToolChoiceMode.Required or ToolChoiceMode.Named))
            return null;
        var grammar = new JsonSchemaGrammar();
        var alternatives = tools.Tools
            .Where(t => tools.Mode == ToolChoiceMode.Required || t.Name == tools.Forced)
            .Select(t =>
            {
                var arguments = t.Parameters is null ? "\"{}\"" : grammar.Rule(t.Parameters, depth: 0);
                return JsonSchemaGrammar.Literal($"{ToolPrompt.CallOpen}\n{{\"name\": \"{t.Name}\", \"arguments\": ") + " " + arguments + " "
                       + JsonSchemaGrammar.Literal($"}}\n{ToolPrompt.CallClose}");
            });
        return $"root ::= {string.Join(" | ", alternatives)}\n" + JsonSchemaGrammar.RulesOf(grammar);
    }
}
