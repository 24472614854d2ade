using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Display;
using AgentKit.Core.Running;

namespace AgentKit.Cli.Hosting;

/// <summary>
/// Prints a run's steps as they happen (synchronously, so the text appears in order). Plans, thoughts, code,
/// replies and observations are model or tool text: they go through <see cref="TerminalText.Escape"/>.
/// </summary>
internal sealed class StepPrinter(TextWriter output) : IProgress<AgentEvent>
{
    public void Report(AgentEvent value)
    {
        switch (value)
        {
            case StepStartedEvent e:
                output.WriteLine($"── step {e.Step}{(e.Planning ? " (planning)" : "")}");
                break;
            case PlanCreatedEvent e:
                output.WriteLine($"Plan:\n{Indent(e.Plan.Plan)}");
                break;
            case ActionCompletedEvent e:
                PrintAction(e.Action);
                break;
        }
        output.Flush();
    }

    private void PrintAction(ActionStep step)
    {
        var chosen = step.Candidates[step.ChosenIndex];
        if (step.Candidates.Count > 1)
        {
            var parsed = step.Candidates.Count(c => c.Parsed);
            var ran = step.Candidates.Count(c => c.Status is not null && c.Error is null);
            output.WriteLine($"candidates: {step.Candidates.Count} sampled, {parsed} parsed, {ran} ran cleanly; chose #{step.ChosenIndex} with {chosen.Votes} vote(s)");
        }
        if (chosen.Parsed)
        {
            output.WriteLine($"Thought: {TerminalText.Escape(chosen.Thought)}");
            output.WriteLine($"Code:\n{Indent(chosen.Code!)}");
        }
        else
        {
            output.WriteLine($"Unparsed reply:\n{Indent(chosen.Text)}");
        }
        output.WriteLine($"Observation{(step.IsError ? " (error)" : "")}:\n{Indent(step.Observation)}");
        output.WriteLine($"({step.Usage.ModelMs:F0} ms model, {step.ExecutionMs:F0} ms execution, {step.Usage.CompletionTokens} tokens)");
    }

    private static string Indent(string text) => "    " + TerminalText.Escape(text).Replace("\n", "\n    ");
}
