using System.Text;
using AgentKit.Abstractions.Tools;
using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Prompts;

/// <summary>
/// Turns the agent's memory (its typed steps) into chat messages. The rendering is a pure function of the
/// steps, so every request of a run sees the same history, and the last request's prompt holds the whole
/// conversation (which is what the SFT export relies on). Adjacent messages of one role are merged, since
/// chat templates expect user and assistant turns to alternate.
/// </summary>
public sealed class PromptBuilder
{
    private readonly string _systemPrompt;

    /// <summary>
    /// Builds the system prompt once from the instructions and the tools' signatures; when
    /// <paramref name="taskVariable"/> is set, the prompt says that code can read the task text from it.
    /// </summary>
    public PromptBuilder(string instructions, IReadOnlyList<ToolDefinition> tools, PromptStyle style = PromptStyle.Full, string? taskVariable = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instructions);
        ArgumentNullException.ThrowIfNull(tools);
        if (!Enum.IsDefined(style))
            throw new ArgumentOutOfRangeException(nameof(style), style, "Unknown prompt style.");
        _systemPrompt = style == PromptStyle.Compact
            ? BuildCompactSystemPrompt(instructions, tools, taskVariable)
            : BuildSystemPrompt(instructions, tools, taskVariable);
    }

    /// <summary>The system prompt: instructions, callable functions (with their types), action format.</summary>
    public string SystemPrompt => _systemPrompt;

    /// <summary>Messages for the next action.</summary>
    public IReadOnlyList<PromptMessage> ForAction(IReadOnlyList<AgentStep> memory) => Render(memory, trailingUser: null);

    /// <summary>Messages asking for a plan.</summary>
    public IReadOnlyList<PromptMessage> ForPlan(IReadOnlyList<AgentStep> memory) => Render(memory, PromptTexts.PlanRequest);

    /// <summary>Messages asking for a plain final answer at the step limit.</summary>
    public IReadOnlyList<PromptMessage> ForFinalAnswer(IReadOnlyList<AgentStep> memory) => Render(memory, PromptTexts.FinalAnswerRequest);

    private List<PromptMessage> Render(IReadOnlyList<AgentStep> memory, string? trailingUser)
    {
        var messages = new List<PromptMessage> { new(PromptRoles.System, _systemPrompt) };
        foreach (var step in memory)
        {
            switch (step)
            {
                case TaskStep task:
                    Add(messages, PromptRoles.User, $"Task: {task.Task}");
                    break;
                case PlanningStep plan:
                    Add(messages, PromptRoles.User, PromptTexts.PlanRequest);
                    Add(messages, PromptRoles.Assistant, plan.Plan);
                    Add(messages, PromptRoles.User, PromptTexts.AfterPlan);
                    break;
                case ActionStep action:
                    Add(messages, PromptRoles.Assistant, action.Action);
                    Add(messages, PromptRoles.User, $"{PromptTexts.ObservationLabel} {action.Observation}");
                    break;
                case FinalAnswerStep:
                    break; // nothing follows a final answer
            }
        }
        if (trailingUser is not null)
            Add(messages, PromptRoles.User, trailingUser);
        return messages;
    }

    private static void Add(List<PromptMessage> messages, string role, string content)
    {
        if (messages.Count > 0 && messages[^1].Role == role)
            messages[^1] = messages[^1] with { Content = messages[^1].Content + "\n\n" + content };
        else
            messages.Add(new PromptMessage(role, content));
    }

    private static string BuildSystemPrompt(string instructions, IReadOnlyList<ToolDefinition> tools, string? taskVariable)
    {
        var sb = new StringBuilder();
        sb.Append(instructions.Trim()).Append("\n\n");
        sb.Append("Functions you can call from code:\n");
        foreach (var tool in tools)
            sb.Append("- ").Append(tool.Signature).Append(": ").Append(tool.Description.Trim()).Append('\n');
        sb.Append("- ").Append(PromptTexts.FinalAnswerSignature).Append(": ends the task with this answer.\n");
        var types = tools.Select(t => t.TypeDeclarations?.Trim()).Where(t => !string.IsNullOrEmpty(t)).Distinct().ToList();
        if (types.Count > 0)
            sb.Append("Types they use:\n").Append(string.Join('\n', types)).Append('\n');
        if (taskVariable is not null)
            sb.Append("Code can read the task text from the variable `string ").Append(taskVariable).Append("`.\n");
        sb.Append('\n').Append(PromptTexts.ActionFormat.Trim());
        return sb.ToString();
    }

    private static string BuildCompactSystemPrompt(string instructions, IReadOnlyList<ToolDefinition> tools, string? taskVariable)
    {
        var sb = new StringBuilder();
        sb.Append(instructions.Trim()).Append("\n\n");
        sb.Append("Functions: ");
        sb.AppendJoin("; ", tools.Select(t => t.Signature).Append(PromptTexts.FinalAnswerSignature)).Append('\n');
        foreach (var types in tools.Select(t => t.TypeDeclarations?.Trim()).Where(t => !string.IsNullOrEmpty(t)).Distinct())
            sb.Append(types).Append('\n');
        if (taskVariable is not null)
            sb.Append("Variable: string ").Append(taskVariable).Append(" (the task text)\n");
        sb.Append(PromptTexts.CompactActionFormat);
        return sb.ToString();
    }
}
