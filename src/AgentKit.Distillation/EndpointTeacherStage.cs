using System.Text.Json.Nodes;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Definitions;
using AgentKit.Core.Tasks;
using AgentKit.Hosting;
using AgentKit.Hosting.Evaluation;

namespace AgentKit.Distillation;

/// <summary>
/// Records the teacher's trajectories from a model served at an OpenAI-compatible endpoint, through the library behind
/// <c>agentkit record</c> (<see cref="TrajectoryRecording"/>: first-thought prefix, filters, concurrency, retries, and
/// its resume ledger beside the output). The task files are recorded in order into one file; with more than one file,
/// each task id is prefixed with its file's name, so two sets that both number their examples 1, 2, … do not resume
/// each other's tasks away. Resumable: a run stopped part-way continues with the tasks not yet finished. A task whose
/// run failed (the endpoint stayed unavailable) fails the stage after the others are recorded; running again retries it.
/// </summary>
internal sealed class EndpointTeacherStage : ITeacherStage
{
    private readonly DistillContext _context;
    private readonly TeacherRecipe _teacher;
    private readonly IReadOnlyList<(string Name, TaskReadResult Tasks)> _sets;

    /// <summary>Reads the task files and checks the agent folder now, so a missing input stops the run before anything does.</summary>
    /// <exception cref="DistillConfigurationException">A task file is missing or holds no usable task, or the agent definition cannot be read.</exception>
    public EndpointTeacherStage(DistillContext context)
    {
        _context = context;
        _teacher = context.Recipe.Recipe.Teacher;
        LoadedAgent agent;
        try
        {
            agent = AgentDefinitionLoader.Load(context.Recipe.AgentFolder);
        }
        catch (InvalidDataException ex)
        {
            throw new DistillConfigurationException($"the endpoint teacher needs an agent definition in {context.Recipe.AgentFolder}: {ex.Message}", ex);
        }
        var files = _teacher.Tasks!;
        var sets = new List<(string, TaskReadResult)>();
        var hashes = new JsonArray();
        foreach (var file in files)
        {
            var path = context.Recipe.FromRecipe(file);
            TaskReadResult read;
            try
            {
                read = TaskFileReader.Read(path);
            }
            catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
            {
                throw new DistillConfigurationException($"teacher.tasks: {ex.Message}", ex);
            }
            if (_teacher.FilterCorrect == true && read.Tasks.Any(t => t.ReferenceAnswer is null))
                throw new DistillConfigurationException($"teacher.filter_correct needs a reference answer for every task; {file} has tasks without one.");
            foreach (var warning in read.Warnings())
                context.Progress.Warning(warning);
            var prefix = files.Count > 1 ? Path.GetFileNameWithoutExtension(path) + "/" : "";
            sets.Add((file, read with { Tasks = [.. read.Tasks.Select(t => t with { Id = prefix + t.Id })] }));
            hashes.Add(new JsonObject { ["file"] = file, ["sha256"] = StageFiles.Sha256(path) });
        }
        _sets = sets;
        var d = agent.Definition;
        // What shapes the recorded runs: the model, the prompt and limits, the sampling, the filters. Not the URL (a restarted
        // server moves port), nor concurrency and retries (they change the order of the lines, not which runs are kept).
        Parameters = new JsonObject
        {
            ["kind"] = TeacherRecipe.Endpoint,
            ["model"] = _teacher.Model,
            ["tasks"] = hashes,
            ["first_thought"] = _teacher.FirstThought ?? false,
            ["temperature"] = _teacher.Temperature,
            ["seed"] = _teacher.Seed,
            ["max_steps"] = _teacher.MaxSteps,
            ["no_grammar"] = _teacher.NoGrammar ?? false,
            ["filter_correct"] = _teacher.FilterCorrect ?? false,
            ["filter_parse_errors"] = _teacher.FilterParseErrors ?? false,
            ["timeout_ms"] = _teacher.ResolvedTimeoutMs,
            ["agent"] = new JsonObject
            {
                ["name"] = d.Name,
                ["instructions_sha256"] = StageFiles.Sha256Text(d.Instructions),
                ["prompt_style"] = d.PromptStyle.ToString(),
                ["tools"] = new JsonArray([.. d.Tools.Select(t => (JsonNode?)JsonValue.Create(t))]),
                ["max_steps"] = d.MaxSteps,
            },
        };
    }

    public string Name => "teacher";

    public string Output => WorkFiles.Teacher;

    public JsonObject Parameters { get; }

    public IReadOnlyList<string>? TaskOrder => [.. _sets.SelectMany(s => s.Tasks.Tasks).Select(t => t.Id)];

    public bool HasOutput => File.Exists(OutputPath) || File.Exists(LedgerPath);

    private string OutputPath => _context.Work(WorkFiles.Teacher);

    private string LedgerPath => RecordingLedger.PathFor(OutputPath);

    public StagePlan Assess(StageRecord? record)
    {
        if (record is null || !HasOutput)
            return StagePlan.Run;
        return record.Status == StageLedger.Done && File.Exists(OutputPath) ? StagePlan.Skip : StagePlan.Resume;
    }

    public void Preflight()
    {
    }

    public void Reset()
    {
        StageFiles.Delete(OutputPath);
        StageFiles.Delete(LedgerPath);
    }

    public async Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        if (!resume)
            Reset();
        var settings = _teacher.ToHostSettings(_context.Recipe.AgentFolder);
        var options = _teacher.ToRecordOptions(OutputPath);
        var total = _sets.Sum(s => s.Tasks.Tasks.Count);
        var (recorded, failed, firstError) = (0, 0, (string?)null);
        await _context.Progress.TrackTeacherAsync(total, async bar =>
        {
            foreach (var (_, tasks) in _sets)
            {
                var report = await TrajectoryRecording.RunAsync(settings, tasks, options, bar is null ? null : new KeptProgress(bar), cancellationToken)
                    .ConfigureAwait(false);
                foreach (var warning in report.Warnings)
                    _context.Progress.Warning(warning);
                recorded += report.Recorded;
                failed += report.Failed;
                firstError ??= report.Results.FirstOrDefault(r => r.Error is not null)?.Error;
            }
            return 0;
        }).ConfigureAwait(false);
        if (failed > 0)
            throw new InvalidOperationException($"{failed} of {total} tasks failed (first error: {firstError}); run distill again to retry them.");
        if (!File.Exists(OutputPath))
            File.WriteAllText(OutputPath, ""); // every run dropped by a filter: an empty file says the stage ran
        var (runs, correct) = TrajectoryFile.Count(OutputPath);
        return StageFiles.ToNode(new TeacherFigures(runs, correct, total, recorded));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<TeacherFigures>(results);
        return $"{f.Runs:N0} runs kept of {f.Questions:N0} tasks ({f.NewRuns:N0} new), {f.Correct:N0} correct";
    }

    /// <summary>One bar step per finished task; it counts as correct when the run was kept.</summary>
    private sealed class KeptProgress(IProgress<bool> inner) : IProgress<RecordProgress>
    {
        private readonly object _gate = new();
        private int _done;
        private int _kept;

        public void Report(RecordProgress value)
        {
            lock (_gate)
            {
                while (_done < value.Done)
                {
                    _done++;
                    inner.Report(value.Kept > _kept);
                    _kept = Math.Max(_kept, value.Kept);
                }
            }
        }
    }
}
