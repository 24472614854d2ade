using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Trajectories;

/// <summary>
/// Turns runs into SFT chat examples, one JSON line per run: <c>{"messages":[{"role","content","weight"},…]}</c>.
/// The conversation is the prompt of the run's last model request plus the reply it got, so it is exactly
/// what the agent saw and wrote (system prompt with tools, task, plans, actions, observations, and the
/// plain answer of a run that hit the step limit). <c>weight</c> follows the OpenAI fine-tuning format:
/// 1 marks turns to train on (every assistant turn), 0 the rest; TRL users map it to an assistant-only loss mask.
/// Runs that failed, were cancelled or have no model request are skipped. With <c>deferredOnly</c> (active
/// distillation from a cascade) only the actions the teacher produced carry weight 1, and runs without one are skipped.
/// </summary>
public static class SftExporter
{
    /// <summary>
    /// The example for <paramref name="record"/>, or null when the run cannot be used. With <paramref name="deferredOnly"/>,
    /// only assistant turns a cascade's teacher produced are trained on, and a run without such a turn gives null.
    /// </summary>
    public static SftExample? ToExample(TrajectoryRecord record, bool deferredOnly = false)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!RecordedRequests.IsUsable(record) || RecordedRequests.Of(record).LastOrDefault() is not { } last)
            return null;
        var messages = last.Prompt.Append(new PromptMessage(PromptRoles.Assistant, last.Reply));
        if (!deferredOnly)
            return new SftExample([.. messages.Select(m => new SftMessage(m.Role, m.Content, m.Role == PromptRoles.Assistant ? 1 : 0))]);

        // The prompt replays each action's text verbatim as an assistant turn, so the teacher's turns are found by text.
        var teacherActions = record.Steps.OfType<ActionStep>().Where(a => a.Cascade is { Deferred: true }).Select(a => a.Action.Trim()).ToHashSet(StringComparer.Ordinal);
        if (teacherActions.Count == 0)
            return null;
        return new SftExample([.. messages.Select(m => new SftMessage(m.Role, m.Content,
            m.Role == PromptRoles.Assistant && teacherActions.Contains(m.Content.Trim()) ? 1 : 0))]);
    }

    /// <summary>Writes one line per usable run; returns how many were written.</summary>
    public static int Export(IEnumerable<TrajectoryRecord> records, TextWriter output) => Export(records, output, deferredOnly: false);

    /// <summary>Writes one line per usable run (with <paramref name="deferredOnly"/>: per run with a teacher turn); returns how many were written.</summary>
    public static int Export(IEnumerable<TrajectoryRecord> records, TextWriter output, bool deferredOnly)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        var written = 0;
        foreach (var record in records)
        {
            if (ToExample(record, deferredOnly) is not { } example)
                continue;
            output.Write(System.Text.Json.JsonSerializer.Serialize(example, TrajectoryJson.Options));
            output.Write('\n');
            written++;
        }
        return written;
    }
}
