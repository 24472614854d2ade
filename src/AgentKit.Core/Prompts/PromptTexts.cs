namespace AgentKit.Core.Prompts;

/// <summary>The fixed texts of the agent's prompts. Kept together so the format the model learns is in one place.</summary>
public static class PromptTexts
{
    /// <summary>How an action looks, with a worked example, placed after the tool list in the system prompt.</summary>
    public const string ActionFormat = """
        Solve the task step by step. In each step write one line that starts with "Thought:" saying what you will do and why, then one C# code block, and stop:
        Thought: <your reasoning>
        ```csharp
        <C# statements>
        ```
        The code runs as a C# script; variables and functions you define stay available in later steps. What the code prints with Console.WriteLine comes back to you as the observation. When you know the answer, call FinalAnswer(answer) in code.

        Example:
        Task: What is 17 * 23 + 4?
        Thought: I will compute the value with C#.
        ```csharp
        var x = 17 * 23 + 4;
        Console.WriteLine(x);
        ```
        Observation: 395
        Thought: The result is 395.
        ```csharp
        FinalAnswer(395);
        ```
        """;

    /// <summary>The one-line action format of <see cref="PromptStyle.Compact"/> prompts.</summary>
    public const string CompactActionFormat = "Each step: a \"Thought:\" line, then one ```csharp block; call FinalAnswer(answer) when done.";

    /// <summary>The signature of the built-in tool that ends the run.</summary>
    public const string FinalAnswerSignature = "void FinalAnswer(object answer)";

    /// <summary>Asks for a plan before an action step.</summary>
    public const string PlanRequest = """
        Before the next step, write a short plan: first the facts you know and the facts you still need, then numbered steps to reach the answer. Do not write code now.
        """;

    /// <summary>Follows a plan in the prompt, so the next action is answered by the model.</summary>
    public const string AfterPlan = "Now carry out the plan, one step at a time.";

    /// <summary>Asks for a plain answer once the step limit is reached.</summary>
    public const string FinalAnswerRequest = """
        You have reached the step limit. Based on everything above, reply with the final answer to the task only, without code or explanation.
        """;

    /// <summary>Prefix of the user message that carries an observation.</summary>
    public const string ObservationLabel = "Observation:";
}
