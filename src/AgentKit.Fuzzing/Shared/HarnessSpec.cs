namespace AgentKit.Fuzzing.Shared;

/// <summary>How the target is called with one input: the worker builds a compiled delegate from this description.</summary>
/// <param name="TypeName">Full name of the type that declares the entry point.</param>
/// <param name="MethodName">Name of the entry point.</param>
/// <param name="Instance">True to call an instance method on an object made with the public parameterless constructor (once per input).</param>
/// <param name="Argument">How the input is passed: <c>auto</c> (user harnesses: bytes if the method takes them, else string), <c>string</c> (UTF-8 decoded), <c>bytes</c> (<c>ReadOnlySpan&lt;byte&gt;</c> or <c>byte[]</c>), <c>reader</c> (<c>TextReader</c>) or <c>memory</c> (<c>ReadOnlyMemory&lt;char&gt;</c>) or <c>ctor</c> (the string goes to the constructor, the method takes no input).</param>
/// <param name="ExpectedExceptions">Full names of exception types (and their subclasses) that are the target's documented rejection of bad input.</param>
/// <param name="Receiver">For an extension method: full name of its first parameter's type. One instance (public parameterless constructor) is made when the harness loads and passed to every call, as an application reuses a configured parser.</param>
internal sealed record HarnessSpec(string TypeName, string MethodName, bool Instance, string Argument, IReadOnlyList<string> ExpectedExceptions, string? Receiver = null);

/// <summary>The built-in adapters for common textual parsers. Each catches only that library's documented parse exceptions.</summary>
internal static class BuiltInHarnesses
{
    /// <summary>
    /// A built-in adapter: the harness, the package it targets, dictionary tokens of the input language, and the other
    /// packages of the same library family whose code does the parsing (instrumented with the target when it is restored).
    /// </summary>
    public sealed record Adapter(string Name, string PackageId, HarnessSpec Spec, IReadOnlyList<string> Tokens, IReadOnlyList<string>? AlsoInstrument = null);

    public static readonly IReadOnlyList<Adapter> All =
    [
        new("markdown", "Markdig",
            new("Markdig.Markdown", "ToHtml", false, "string", []), // Markdig documents no parse exceptions: every string is Markdown
            ["# ", "## ", "> ", "- ", "* ", "1. ", "```", "~~~", "    ", "[", "](", ")", "![", "**", "__", "`", "<div>", "</div>", "|", "---", "\n\n", "&amp;", "\\", "[^1]", "<http://a>"]),
        new("yaml", "YamlDotNet",
            new("YamlDotNet.RepresentationModel.YamlStream", "Load", true, "reader", ["YamlDotNet.Core.YamlException"]),
            ["---", "...", ": ", "- ", "? ", "&a", "*a", "!!str", "!tag", "|", ">", "{", "}", "[", "]", ",", "#", "%YAML 1.2", "%TAG", "'", "\"", "\n  "]),
        new("javascript", "Jint",
            new("Jint.Engine", "PrepareScript", false, "string", ["Jint.ScriptPreparationException", "Acornima.ParseErrorException", "Esprima.ParserException", "Jint.Runtime.JavaScriptException"]),
            ["function", "return", "var ", "let ", "const ", "=>", "class ", "extends", "yield", "async", "await", "`${", "}`", "/re/g", "(", ")", "{", "}", "[", "]", ";", "..."],
            ["Acornima"]), // Jint parses with Acornima
        new("html", "AngleSharp",
            new("AngleSharp.Html.Parser.HtmlParser", "ParseDocument", true, "string", []), // HTML5 parsing never rejects input
            ["<html>", "<body>", "<table>", "<tr>", "<td>", "<svg>", "<math>", "<template>", "<script>", "</script>", "<!--", "-->", "<!DOCTYPE html>", "&amp;", "<select>", "<option>", "<frameset>", "=\"", "<p>"]),
        new("json", "Newtonsoft.Json",
            new("Newtonsoft.Json.Linq.JToken", "Parse", false, "string", ["Newtonsoft.Json.JsonException"]),
            ["{", "}", "[", "]", ":", ",", "\"", "true", "false", "null", "1e309", "-0", "\\u0000", "new Date(1)", "/*", "*/", "NaN", "Infinity", "'"]),
        new("expression", "NCalcSync",
            new("NCalc.Expression", "Evaluate", true, "ctor", ["NCalc.Exceptions.NCalcException"]),
            ["(", ")", "+", "-", "*", "/", "%", "&&", "||", "!", "==", "!=", "<=", ">=", "if(", "in(", "Abs(", "Max(", "[x]", "'s'", "#2020-01-01#", "true", "1.5e3", "?", ":"],
            ["NCalc.Core", "NCalc.Parser", "NCalc.Domain"]), // NCalcSync is a thin facade over these
        new("graphql", "GraphQL-Parser",
            new("GraphQLParser.Parser", "Parse", false, "string", ["GraphQLParser.Exceptions.GraphQLParserException"]),
            ["query", "mutation", "subscription", "fragment", " on ", "{", "}", "(", ")", "$v", ": ", "@skip", "...", "\"\"\"", "schema", "type ", "interface", "union", "enum", "input", "directive @", "extend"]),
        new("liquid", "Fluid.Core",
            new("Fluid.FluidParserExtensions", "Parse", false, "string", ["Fluid.ParseException"], Receiver: "Fluid.FluidParser"), // Parse is an extension method
            ["{{", "}}", "{%", "%}", "if ", "endif", "for ", "endfor", " in ", "|", "raw", "endraw", "assign ", "capture", "case", "when", "comment", "-%}", "{{-"],
            ["Parlot"]), // Fluid's grammar runs on Parlot's parser combinators
    ];

    public static Adapter? Find(string name) => All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
}
