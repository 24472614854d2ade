using AgentKit.Core;
using Microsoft.SemanticKernel;

namespace AgentKit.SemanticKernel.Agents;

/// <summary>
/// Exposes an AgentKit <see cref="Agent"/> as a Semantic Kernel function: <c>string name(string question)</c>,
/// which runs the agent on the question and returns its final answer. Add it to a plugin and any SK
/// orchestration (or a chat model with function calling) can delegate a sub-task to the agent.
/// </summary>
public static class AgentKernelFunction
{
    /// <summary>Name of the function's single parameter.</summary>
    public const string QuestionParameter = "question";

    /// <summary>Creates the function.</summary>
    /// <param name="agent">The agent that answers.</param>
    /// <param name="name">Function name (a C# identifier, e.g. <c>ResearchAgent</c>).</param>
    /// <param name="description">What the agent is good at; a chat model reads this to decide when to call it.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not an identifier or <paramref name="description"/> is empty.</exception>
    /// <remarks>
    /// A run that ends without an answer (the model gave no text at the step limit) returns an empty string.
    /// Cancellation of the kernel invocation cancels the run; a failed run throws, as the agent does.
    /// </remarks>
    public static KernelFunction Create(Agent agent, string name, string description)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        if (string.IsNullOrEmpty(name) || !(char.IsLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsLetterOrDigit(c) || c == '_'))
            throw new ArgumentException($"Kernel function names must be identifiers (letters, digits, '_'), got \"{name}\".", nameof(name));

        async Task<string> AnswerAsync(string question, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(question))
                throw new ArgumentException("The question must not be empty.", nameof(question));
            var result = await agent.RunAsync(question, cancellationToken).ConfigureAwait(false);
            return result.FinalAnswer ?? "";
        }

        return KernelFunctionFactory.CreateFromMethod(
            AnswerAsync,
            new KernelFunctionFromMethodOptions
            {
                FunctionName = name,
                Description = description,
                Parameters = [new KernelParameterMetadata(QuestionParameter) { Description = "The question or task for the agent.", IsRequired = true, ParameterType = typeof(string) }],
                ReturnParameter = new KernelReturnParameterMetadata { Description = "The agent's final answer.", ParameterType = typeof(string) },
            });
    }
}
