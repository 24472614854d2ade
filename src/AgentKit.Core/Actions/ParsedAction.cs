namespace AgentKit.Core.Actions;

/// <summary>The outcome of reading an action from model text: a thought and code, or an error for the model.</summary>
public sealed record ParsedAction
{
    /// <summary>The reasoning before the code block (may be empty when the model skipped it).</summary>
    public string Thought { get; init; } = "";

    /// <summary>The C# code of the first code block; null when parsing failed.</summary>
    public string? Code { get; init; }

    /// <summary>The observation shown to the model when parsing failed; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>Whether a code block was found.</summary>
    public bool Succeeded => Code is not null;

    /// <summary>The action in canonical form, as the agent's memory and SFT data keep it.</summary>
    public string ToCanonicalText() =>
        Code is null ? throw new InvalidOperationException("A failed parse has no canonical text.")
        : $"Thought: {Thought}\n```csharp\n{Code}\n```";

    /// <summary>A successful parse.</summary>
    public static ParsedAction Success(string thought, string code) => new() { Thought = thought, Code = code };

    /// <summary>A failed parse with the message the model will read.</summary>
    public static ParsedAction Failure(string error) => new() { Error = error };
}
