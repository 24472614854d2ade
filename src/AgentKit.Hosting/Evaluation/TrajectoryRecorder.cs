using System.Collections.Concurrent;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core;
using AgentKit.Core.Distillation;
using AgentKit.Core.Running;
using AgentKit.Core.Tasks;
using AgentKit.Core.Trajectories;

namespace AgentKit.Hosting.Evaluation;

/// <summary>
/// Records a teacher agent's runs over tasks into a JSONL file, resumably: tasks the file (or its
/// <see cref="RecordingLedger"/>) already holds are skipped, a torn last line left by a killed recording is cut off,
/// and every finished task is written (trajectory, then ledger entry) as soon as it ends, each line in one flushed
/// write. A cancelled or killed recording therefore loses only the runs in flight. A run that fails (an endpoint
/// that stays unavailable after its retries, a sandbox failure) is reported as failed and run again on the next resume.
/// </summary>
public sealed class TrajectoryRecorder
{
    private readonly Func<CancellationToken, Task<(Agent Agent, ICandidateGenerator Teacher)>> _open;
    private readonly RecordOptions _options;

    /// <summary>A recorder over a ready teacher.</summary>
    /// <param name="agent">The teacher agent; it should have no sink of its own (the recorder writes the runs).</param>
    /// <param name="teacher">The teacher's model, asked for the chain-of-thought of <see cref="RecordOptions.FirstThought"/>.</param>
    /// <param name="options">Where and how to record.</param>
    public TrajectoryRecorder(Agent agent, ICandidateGenerator teacher, RecordOptions options)
        : this(_ => Task.FromResult((agent, teacher)), options)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(teacher);
    }

    /// <summary>A recorder that opens its teacher only when some task is left to run (a finished recording resumes at no cost).</summary>
    /// <param name="open">Opens the teacher agent and its model; the caller owns what it opens.</param>
    /// <param name="options">Where and how to record.</param>
    public TrajectoryRecorder(Func<CancellationToken, Task<(Agent Agent, ICandidateGenerator Teacher)>> open, RecordOptions options)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(options);
        _open = open;
        _options = options.Validate();
    }

    /// <summary>Runs every task not yet recorded, <see cref="RecordOptions.Concurrency"/> at a time.</summary>
    /// <exception cref="ArgumentException">Correct-only recording was asked for and a task has no reference answer.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; every task finished before then is on disk.</exception>
    public async Task<RecordReport> RunAsync(TaskReadResult tasks, IProgress<RecordProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        if (_options.FilterCorrect && tasks.Tasks.Any(t => t.ReferenceAnswer is null))
            throw new ArgumentException("correct-only recording needs a reference answer for every task; some tasks have none.");

        using var writer = new JsonlTrajectoryWriter(_options.Out);
        using var ledger = new RecordingLedger(RecordingLedger.PathFor(writer.Path));
        var warnings = new List<string>();
        var done = FinishedTaskIds(writer.Path, ledger, warnings);
        var pending = new List<(int Index, TrajectoryTask Task)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tasks.Tasks.Count; i++)
        {
            var task = tasks.Tasks[i];
            if (!seen.Add(task.Id))
                warnings.Add($"task id '{task.Id}' appears more than once in {tasks.SourceName}: only its first occurrence is recorded.");
            else if (!done.Contains(task.Id))
                pending.Add((i, task));
        }

        var results = new ConcurrentDictionary<int, TaskResult>();
        var dropReasons = new ConcurrentDictionary<string, int>();
        int kept = 0, dropped = 0, failed = 0, finished = 0;
        var (agent, teacher) = pending.Count == 0 ? (null!, null!) : await _open(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = cancellationToken },
            async (item, ct) =>
            {
                var (result, entry) = await RecordOneAsync(agent, teacher, item.Task, writer, ct).ConfigureAwait(false);
                await ledger.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false); // the trajectory is on disk: its entry must follow
                results[item.Index] = result;
                if (entry.Status == LedgerEntry.Kept)
                    Interlocked.Increment(ref kept);
                else if (entry.Status == LedgerEntry.Dropped)
                {
                    Interlocked.Increment(ref dropped);
                    dropReasons.AddOrUpdate(entry.Reason!, 1, (_, n) => n + 1);
                }
                else
                    Interlocked.Increment(ref failed);
                var count = Interlocked.Increment(ref finished);
                progress?.Report(new RecordProgress(count, pending.Count, Volatile.Read(ref kept), Volatile.Read(ref dropped), Volatile.Read(ref failed)));
            }).ConfigureAwait(false);

        var ordered = results.OrderBy(r => r.Key).Select(r => r.Value).ToList();
        var summary = TaskRunSummary.From(ordered.Where(r => r.Error is null).ToList());
        return new RecordReport(tasks.Tasks.Count, kept, dropped, new SortedDictionary<string, int>(dropReasons, StringComparer.Ordinal), failed,
            tasks.Tasks.Count - pending.Count, summary.Success, summary.MeanSteps, writer.Path, ledger.Path, tasks.Skipped.Count, tasks.Skipped,
            warnings, ordered);
    }

    /// <summary>Why <paramref name="record"/> is not kept under <paramref name="options"/>, or null to keep it.</summary>
    public static string? DropReason(TrajectoryRecord record, RecordOptions options)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (options.FilterParseErrors && record.Steps.OfType<ActionStep>().Any(s => !s.Candidates[s.ChosenIndex].Parsed))
            return DropReasons.ParseError;
        if (options.FilterCorrect && record.Score?.Correct != true)
            return DropReasons.Incorrect;
        return null;
    }

    /// <summary>Task ids recorded in the trajectory file, plus those its ledger lists as kept (or dropped, unless they are to be redone).</summary>
    private HashSet<string> FinishedTaskIds(string path, RecordingLedger ledger, List<string> warnings)
    {
        if (JsonlTail.Repair(path, line => TrajectoryJson.Deserialize(line) is not null) is { } repaired)
            warnings.Add(repaired);
        var done = new HashSet<string>(StringComparer.Ordinal);
        if (File.Exists(path))
        {
            var read = JsonlTrajectoryReader.Read(path);
            warnings.AddRange(read.Warnings);
            done.UnionWith(read.Records.Select(r => r.Task.Id));
        }
        foreach (var entry in ledger.Read(warnings).Values)
        {
            if (entry.Status == LedgerEntry.Kept || (entry.Status == LedgerEntry.Dropped && !_options.RedoDropped))
                done.Add(entry.Id);
        }
        return done;
    }

    private async Task<(TaskResult Result, LedgerEntry Entry)> RecordOneAsync(Agent agent, ICandidateGenerator teacher, TrajectoryTask task,
        JsonlTrajectoryWriter writer, CancellationToken cancellationToken)
    {
        TrajectoryRecord record;
        try
        {
            record = _options.Mode == RecordMode.Cot
                ? await ChainOfThoughtRecord.RunAsync(teacher, agent.Definition, task, _options.CotKind, _options.CotMaxTokens, null, cancellationToken).ConfigureAwait(false)
                : await RunAgentAsync(agent, teacher, task, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (ex is OutOfMemoryException)
                throw;
            return (new TaskResult(task.Id, task.Question, null, task.ReferenceAnswer, false, 0, 0, 0, 0, ex.Message),
                new LedgerEntry(task.Id, LedgerEntry.Failed, Error: ex.Message));
        }

        var reason = DropReason(record, _options);
        if (reason is null)
            await writer.WriteAsync(record, CancellationToken.None).ConfigureAwait(false); // finished: write it even if cancelled meanwhile
        return (TaskResult.From(record), new LedgerEntry(task.Id, reason is null ? LedgerEntry.Kept : LedgerEntry.Dropped, reason));
    }

    private async Task<TrajectoryRecord> RunAgentAsync(Agent agent, ICandidateGenerator teacher, TrajectoryTask task, CancellationToken cancellationToken)
    {
        AgentRunSettings? runSettings = null;
        if (_options.FirstThought)
        {
            var sampling = agent.Definition.Sampling;
            var prefix = await FirstThought.GetAsync(teacher, task.Question, sampling.Temperature, sampling.Seed, sampling.MaxTokensPerStep, cancellationToken)
                .ConfigureAwait(false);
            runSettings = new AgentRunSettings { FirstThoughtPrefix = prefix };
        }
        return (await agent.RunAsync(task, runSettings, cancellationToken).ConfigureAwait(false)).Trajectory;
    }
}
