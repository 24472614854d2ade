using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Prompts;

namespace AgentKit.Core.Definitions;

/// <summary>
/// Everything that makes an agent: instructions, tools, model and how it is sampled, and the loop's limits.
/// Usually loaded from <c>agents/&lt;name&gt;/agent.json</c> by <see cref="AgentDefinitionLoader"/>.
/// <see cref="Validate"/> runs on load and again when an <see cref="Agent"/> is built from it, so a
/// definition changed with <c>with</c> is checked before use.
/// </summary>
public sealed record AgentDefinition
{
    /// <summary>Short name (letters, digits, '-', '_', '.').</summary>
    public required string Name { get; init; }

    /// <summary>Instructions placed at the head of the system prompt (default: a generic problem-solver line).</summary>
    public string Instructions { get; init; } = "You are an expert assistant who solves tasks by writing and running C# code.";

    /// <summary>How much the system prompt explains (default <see cref="PromptStyle.Full"/>; distilled models use <see cref="PromptStyle.Compact"/>).</summary>
    public PromptStyle PromptStyle { get; init; } = PromptStyle.Full;

    /// <summary>Names of the tools the agent may call from code (resolved by the host).</summary>
    public IReadOnlyList<string> Tools { get; init; } = [];

    /// <summary>
    /// Per-tool settings the host reads when it builds the tools, e.g. <c>{"search": {"index": "index"}}</c>
    /// (paths relative to the agent folder). Keys are tool names.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ToolSettings { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, string>>();

    /// <summary>The model.</summary>
    public required AgentModelOptions Model { get; init; }

    /// <summary>How actions are sampled.</summary>
    public AgentSamplingOptions Sampling { get; init; } = new();

    /// <summary>Action step limit (default 6); at the limit the model is asked once for a plain answer.</summary>
    public int MaxSteps { get; init; } = 6;

    /// <summary>Plan before action steps 1, 1+k, 1+2k… (default 0 = never).</summary>
    public int PlanningInterval { get; init; }

    /// <summary>Constrain actions with the action grammar (default true; needs a backend that supports GBNF).</summary>
    public bool Grammar { get; init; } = true;

    /// <summary>Observations longer than this many characters are cut (default 2000).</summary>
    public int ObservationMaxChars { get; init; } = 2000;

    /// <summary>Longest thought the grammar allows, in characters (default 600).</summary>
    public int GrammarMaxThoughtChars { get; init; } = 600;

    /// <summary>Longest code block the grammar allows, in characters (default 1500).</summary>
    public int GrammarMaxCodeChars { get; init; } = 1500;

    /// <summary>
    /// Name of a C# string variable that holds the task text in the agent's code session (default none). Code can
    /// then take names and numbers from the task instead of retyping them, which small models do unreliably.
    /// </summary>
    public string? TaskVariable { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first thing that is wrong; returns this otherwise.</summary>
    public AgentDefinition Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ArgumentException($"name must be non-empty and use only letters, digits, '-', '_' and '.', got \"{Name}\".");
        if (string.IsNullOrWhiteSpace(Instructions))
            throw new ArgumentException("instructions must not be empty.");
        if (!Enum.IsDefined(PromptStyle))
            throw new ArgumentException($"prompt_style must be \"full\" or \"compact\", got {PromptStyle}.");
        if (Model is null)
            throw new ArgumentException("model is required: {\"path\": \"model.gguf\"} or {\"endpoint\": \"http://…/v1\", \"name\": \"…\"}.");
        Model.Validate();
        if (Sampling is null)
            throw new ArgumentException("sampling must not be null.");
        Sampling.Validate();
        if (Tools is null || Tools.Any(t => string.IsNullOrWhiteSpace(t)))
            throw new ArgumentException("tools must be a list of tool names without empty entries.");
        var duplicate = Tools.GroupBy(t => t, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"tools lists \"{duplicate.Key}\" twice.");
        if (MaxSteps is < 1 or > 100)
            throw new ArgumentException($"max_steps must be between 1 and 100, got {MaxSteps}.");
        if (PlanningInterval < 0)
            throw new ArgumentException($"planning_interval must be >= 0 (0 = no planning), got {PlanningInterval}.");
        if (ObservationMaxChars < 100)
            throw new ArgumentException($"observation_max_chars must be at least 100, got {ObservationMaxChars}.");
        if (GrammarMaxThoughtChars is < 1 or > 4000)
            throw new ArgumentException($"grammar_max_thought_chars must be between 1 and 4000, got {GrammarMaxThoughtChars}.");
        if (GrammarMaxCodeChars is < 1 or > 8000)
            throw new ArgumentException($"grammar_max_code_chars must be between 1 and 8000, got {GrammarMaxCodeChars}.");
        if (TaskVariable is not null && !IsIdentifier(TaskVariable))
            throw new ArgumentException($"task_variable must be a C# identifier (letters, digits and '_', not starting with a digit), got \"{TaskVariable}\".");
        return this;
    }

    private static bool IsIdentifier(string name) =>
        name.Length is > 0 and <= 64 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>The parts of the definition a trajectory records.</summary>
    public AgentSnapshot ToSnapshot() => new(Name, Instructions, Tools, MaxSteps, PlanningInterval, ObservationMaxChars);
}
