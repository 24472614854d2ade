using System.Text.Encodings.Web;
using System.Text.Json;
using AgentKit.Abstractions.Trajectories;

namespace AgentKit.Core.Trajectories.Trl;

/// <summary>
/// Turns recorded runs into the JSONL datasets Hugging Face TRL's trainers read with
/// <c>datasets.load_dataset("json", data_files=…)</c>, all in TRL's conversational format so TRL applies the
/// trained model's own chat template (see <see cref="TrlDatasetFormat"/> for the rows of each type).
/// SFT and prompt-completion rows come from answered and step-limited runs only; GRPO prompts come from every
/// action step of every run (the trainer samples its own completions) and are written once each.
/// A forced first-thought prefix is dropped from prompts: the recorded reply already starts with it.
/// </summary>
public static class TrlExporter
{
    // Unlike trajectory lines, nulls are written: every row of a file must have the same columns for pyarrow.
    private static readonly JsonSerializerOptions RowJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The whole conversation of a usable run (the prompt of its last request plus the reply), or null.</summary>
    public static TrlSftRow? ToSftRow(TrajectoryRecord record) =>
        SftExporter.ToExample(record) is { } example ? new TrlSftRow([.. example.Messages.Select(m => new TrlMessage(m.Role, m.Content))]) : null;

    /// <summary>One row per model request (plans, actions, the plain answer at the step limit) of a usable run; none otherwise.</summary>
    public static IEnumerable<TrlPromptCompletionRow> ToPromptCompletionRows(TrajectoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!RecordedRequests.IsUsable(record))
            return [];
        return RecordedRequests.Of(record).Select(r => new TrlPromptCompletionRow(Messages(r.Prompt), [new TrlMessage(PromptRoles.Assistant, r.Reply)]));
    }

    /// <summary>One row per action step of the run, whatever its outcome, with the task's reference answer as a reward column.</summary>
    public static IEnumerable<TrlGrpoRow> ToGrpoRows(TrajectoryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return RecordedRequests.Of(record)
            .Where(r => r.Kind == RecordedRequestKind.Action)
            .Select(r => new TrlGrpoRow(Messages(r.Prompt), record.Task.ReferenceAnswer, record.Task.Id, r.Step));
    }

    /// <summary>The dataset rows of <paramref name="records"/>, one JSON object per line; returns how many lines were written.</summary>
    public static int Export(IEnumerable<TrajectoryRecord> records, TrlDatasetFormat format, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(output);
        IEnumerable<object> rows = format switch
        {
            TrlDatasetFormat.Sft => records.Select(ToSftRow).OfType<TrlSftRow>(),
            TrlDatasetFormat.PromptCompletion => records.SelectMany(ToPromptCompletionRows),
            TrlDatasetFormat.Grpo => records.SelectMany(ToGrpoRows),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown TRL dataset format."),
        };
        // Repeated runs of one task share their opening prompt: GRPO samples its own group per prompt, so one row is enough.
        var seen = format == TrlDatasetFormat.Grpo ? new HashSet<string>(StringComparer.Ordinal) : null;
        var written = 0;
        foreach (var row in rows)
        {
            var line = JsonSerializer.Serialize(row, row.GetType(), RowJson);
            if (seen is not null && !seen.Add(line))
                continue;
            output.Write(line);
            output.Write('\n');
            written++;
        }
        return written;
    }

    private static TrlMessage[] Messages(IReadOnlyList<PromptMessage> prompt) => [.. prompt.Select(m => new TrlMessage(m.Role, m.Content))];
}
