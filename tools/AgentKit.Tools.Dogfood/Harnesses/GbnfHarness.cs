using AgentKit.Models.LlamaSharp;

namespace AgentKit.Tools.Dogfood.Harnesses;

/// <summary>
/// The managed GBNF validator, which stands between user grammars (agent.json, the server's <c>grammar</c> field) and
/// llama.cpp's grammar parser, whose failures crash the process.
/// </summary>
public static class GbnfHarness
{
    /// <summary>Validates <paramref name="text"/> as a GBNF grammar with start rule <c>root</c>.</summary>
    /// <remarks>
    /// Documented rejection: <see cref="ArgumentException"/> itself. Its subclasses (ArgumentOutOfRangeException from a
    /// bad index, ArgumentNullException) are bugs, so the type must match exactly.
    /// </remarks>
    public static void Parse(string text)
    {
        try
        {
            GbnfValidator.Validate(text);
        }
        catch (ArgumentException ex) when (ex.GetType() == typeof(ArgumentException))
        {
            // the grammar's first problem, described: the documented rejection
        }
    }
}
