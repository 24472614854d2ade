using System.Text;
using AgentKit.Tools.Dogfood.Harnesses;

namespace AgentKit.Tools.Dogfood;

/// <summary>One of AgentKit's parsers as a fuzzing target.</summary>
/// <param name="Name">Short name (the campaign folder and the table row).</param>
/// <param name="Harness">The harness method, <c>Namespace.Type.Method</c>, in this assembly.</param>
/// <param name="Parser">What the harness drives, for the table.</param>
/// <param name="Tokens">Dictionary tokens of the input format (the target's own string literals are added by the engine).</param>
/// <param name="MaxInputBytes">Longest mutant: room for the seeds of binary and JSON formats to grow a little.</param>
/// <param name="Seeds">Valid inputs made by code (<see cref="DogfoodSeeds"/>).</param>
public sealed record DogfoodTarget(string Name, string Harness, string Parser, IReadOnlyList<string> Tokens, int MaxInputBytes, Func<IReadOnlyList<byte[]>> Seeds)
{
    private static string Of(Type harness) => harness.FullName + ".Parse";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Every parser AgentKit reads untrusted or hand-edited input with.</summary>
    public static IReadOnlyList<DogfoodTarget> All { get; } =
    [
        new("gguf", Of(typeof(GgufHarness)), "GgufModelValidator.Validate (GgufReader)",
            ["GGUF", "general.architecture", "general.alignment", "llama", "tokenizer.ggml.tokens", "\u0003\0\0\0", "\u0008\0\0\0\0\0\0\0", "\u0009\0\0\0"],
            16 * 1024, () => [DogfoodSeeds.MinimalGguf(), DogfoodSeeds.TinyLlamaGguf()]),
        new("agent-definition", Of(typeof(AgentDefinitionHarness)), "AgentDefinitionLoader.Load (agent.json)",
            ["\"name\"", "\"instructions\"", "\"instructions_file\"", "\"prompt.md\"", "\"tools\"", "\"tool_settings\"", "\"model\"", "\"path\"", "\"endpoint\"",
             "\"sampling\"", "\"candidates\"", "\"max_steps\"", "\"prompt_style\"", "\"task_variable\"", "null", "true", "1e400", "-1", "//", "/*", "*/", "{", "}", "[", "]", ","],
            4096, () => [Utf8(DogfoodSeeds.FullAgentJson()), Utf8(DogfoodSeeds.EndpointAgentJson())]),
        new("action", Of(typeof(ActionHarness)), "ActionParser.Parse (model text)",
            ["```", "```csharp\n", "```cs", "```C#", "Thought:", "thought:", "\r\n", "\n", "\r", " ", "`"],
            2048, () => [.. DogfoodSeeds.Actions().Select(Utf8)]),
        new("trajectory", Of(typeof(TrajectoryHarness)), "JsonlTrajectoryReader.Read (JSONL)",
            ["\"schema_version\"", "\"steps\"", "\"type\"", "\"action\"", "\"task\"", "\"planning\"", "\"final_answer\"", "\"candidates\"", "\"outcome\"", "\"started_at\"",
             "\"answered\"", "null", "99", "-1", "\n", "{", "}", "[", "]", "\"$type\"", "\"$ref\""],
            8192, () => [Utf8(DogfoodSeeds.TrajectoryJsonl())]),
        new("gbnf", Of(typeof(GbnfHarness)), "GbnfValidator.Validate (grammar)",
            ["::=", "root", "|", "(", ")", "[", "]", "[^", "{", "}", "{0,", ",}", "*", "+", "?", ".", "\"", "\\x", "\\u", "\\U", "\\", "#", "\n", "\r\n", "-", "<", "!"],
            2048, () => [.. DogfoodSeeds.Grammars().Select(Utf8)]),
        new("tokenizer", Of(typeof(TokenizerHarness)), "TokenizerLoader.Load (tokenizer.json)",
            ["\"model\"", "\"vocab\"", "\"merges\"", "\"added_tokens\"", "\"id\"", "\"content\"", "\"pre_tokenizer\"", "\"ByteLevel\"", "\"Split\"", "\"Regex\"",
             "\"pretokenizers\"", "\"BPE\"", "\"type\"", "null", "-1", "2147483647", "[", "]", "{", "}", "\" \""],
            16 * 1024, () => [DogfoodSeeds.TrainedTokenizer(), DogfoodSeeds.HfSplitTokenizer()]),
        new("chat-request", Of(typeof(ChatRequestHarness)), "ChatCompletionRequestReader.Read (HTTP body)",
            ["\"messages\"", "\"role\"", "\"content\"", "\"type\"", "\"text\"", "\"n\"", "\"temperature\"", "\"top_p\"", "\"max_tokens\"", "\"max_completion_tokens\"",
             "\"stop\"", "\"seed\"", "\"stream\"", "\"grammar\"", "\"tools\"", "\"user\"", "\"system\"", "null", "1e10", "-0", "2.5", "[", "]", "{", "}"],
            4096, () => [Utf8(DogfoodSeeds.FullChatRequest()), Utf8(DogfoodSeeds.MinimalChatRequest())]),
    ];

    /// <summary>The target called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No such target.</exception>
    public static DogfoodTarget Find(string name) =>
        All.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown dogfood target '{name}'; known: {string.Join(", ", All.Select(t => t.Name))}", nameof(name));
}
