using AgentKit.Abstractions.Tools;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Prompts;

namespace AgentKit.Core.Tests.Prompts;

public class PromptBuilderTests
{
    private static readonly ToolDefinition s_search = new(
        "Search", "Finds passages.", [new ToolParameter("query", "string", "words"), new ToolParameter("k", "int", "count", "3")],
        "Passage[]", "public record Passage(string Id, string Text);");

    [Fact]
    public void System_prompt_lists_tool_signatures_types_and_format()
    {
        var builder = new PromptBuilder("Be brief.", [s_search]);
        var system = builder.SystemPrompt;
        Assert.StartsWith("Be brief.\n\nFunctions you can call from code:\n- Passage[] Search(string query, int k = 3): Finds passages.\n- void FinalAnswer(object answer)", system);
        Assert.Contains("public record Passage(string Id, string Text);", system);
        Assert.Contains("```csharp", system);
        Assert.Contains("FinalAnswer(395);", system);
    }

    [Fact]
    public void Compact_prompt_keeps_signatures_and_types_and_drops_descriptions_and_example()
    {
        var compact = new PromptBuilder("Be brief.", [s_search], PromptStyle.Compact).SystemPrompt;
        var full = new PromptBuilder("Be brief.", [s_search]).SystemPrompt;
        Assert.Equal(
            "Be brief.\n\nFunctions: Passage[] Search(string query, int k = 3); void FinalAnswer(object answer)\n"
            + "public record Passage(string Id, string Text);\n" + PromptTexts.CompactActionFormat,
            compact);
        Assert.DoesNotContain("Finds passages.", compact);
        Assert.True(compact.Length * 3 < full.Length, $"compact {compact.Length} chars vs full {full.Length}");
    }

    [Fact]
    public void Memory_renders_as_alternating_turns()
    {
        var builder = new PromptBuilder("Be brief.", []);
        var usage = new ModelUsage(1, 1, 1);
        List<AgentStep> memory =
        [
            new TaskStep("What is 2+2?"),
            new PlanningStep(1, [], "1. add", usage),
            Action(1, "Thought: add\n```csharp\nConsole.WriteLine(2+2);\n```", "4"),
        ];

        var action = builder.ForAction(memory);
        Assert.Equal(
            [PromptRoles.System, PromptRoles.User, PromptRoles.Assistant, PromptRoles.User, PromptRoles.Assistant, PromptRoles.User],
            action.Select(m => m.Role));
        Assert.Equal($"Task: What is 2+2?\n\n{PromptTexts.PlanRequest}", action[1].Content);
        Assert.Equal("1. add", action[2].Content);
        Assert.Equal(PromptTexts.AfterPlan, action[3].Content);
        Assert.Equal("Observation: 4", action[5].Content);

        // A later plan request merges into the last user turn; the final request likewise.
        var plan = builder.ForPlan(memory);
        Assert.Equal(action.Count, plan.Count);
        Assert.Equal($"Observation: 4\n\n{PromptTexts.PlanRequest}", plan[^1].Content);
        Assert.EndsWith(PromptTexts.FinalAnswerRequest, builder.ForFinalAnswer(memory)[^1].Content);
    }

    internal static ActionStep Action(int step, string action, string observation) => new()
    {
        Step = step,
        Prompt = [],
        Candidates = [],
        ChosenIndex = 0,
        Action = action,
        Observation = observation,
        IsError = false,
        Usage = new ModelUsage(1, 1, 1),
    };
}
