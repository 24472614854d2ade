using System.Text.Json.Nodes;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Teacher;
using AgentKit.Cli.Hosting;
using AgentKit.Core.Definitions;
using AgentKit.Core.Trajectories;
using AgentKit.Sandbox;
using AgentKit.Abstractions.Tools;

namespace AgentKit.Cli.Distillation;

/// <summary>
/// Runs the atlas programmatic teacher (<see cref="TeachingRun"/>) through the real runtime, sandbox and Search
/// index over the recipe's questions, recording into <c>teacher-train.jsonl</c>. Resumable: an interrupted run
/// is continued by appending runs for the questions that have none yet.
/// </summary>
internal sealed class AtlasTeacherStage : IDistillStage, IDisposable
{
    private readonly DistillContext _context;
    private readonly TeacherRecipe _teacher;
    private readonly LoadedAgent _agent;
    private readonly IReadOnlyList<AtlasQuestion> _questions;
    private AgentToolFactory? _toolFactory;
    private IReadOnlyList<IAgentTool>? _tools;

    public AtlasTeacherStage(DistillContext context)
    {
        _context = context;
        _teacher = context.Recipe.Recipe.Teacher;
        var folder = context.Recipe.AgentFolder;
        try
        {
            _agent = AgentDefinitionLoader.Load(folder);
        }
        catch (InvalidDataException ex)
        {
            throw new DistillConfigurationException($"the atlas teacher needs an agent definition in {folder}: {ex.Message}", ex);
        }
        var questionsPath = context.Recipe.FromRecipe(_teacher.Questions!);
        try
        {
            _questions = QuestionFile.Read(questionsPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            throw new DistillConfigurationException($"teacher.questions: {ex.Message}", ex);
        }
        // Questions the runtime refuses (empty text) never get a run, so completeness is judged on the others.
        Runnable = [.. _questions.Where(q => !string.IsNullOrWhiteSpace(q.Question))];
        if (Runnable.Count == 0)
            throw new DistillConfigurationException($"teacher.questions: {questionsPath} holds no runnable question.");
        if (Runnable.Select(q => q.Id).Distinct().Count() != Runnable.Count)
            throw new DistillConfigurationException($"teacher.questions: {questionsPath} repeats question ids; resuming needs unique ids.");
        Parameters = new JsonObject
        {
            ["kind"] = TeacherRecipe.Atlas,
            ["questions"] = _teacher.Questions,
            ["questions_sha256"] = StageFiles.Sha256(questionsPath),
            ["timeout_ms"] = _teacher.ResolvedTimeoutMs,
            ["agent"] = AgentParameters(_agent),
        };
    }

    /// <summary>The questions that get a run.</summary>
    public IReadOnlyList<AtlasQuestion> Runnable { get; }

    public string Name => "teacher";

    public string Output => WorkFiles.Teacher;

    public JsonObject Parameters { get; }

    public bool HasOutput => File.Exists(OutputPath);

    private string OutputPath => _context.Work(WorkFiles.Teacher);

    public StagePlan Assess(StageRecord? record)
    {
        if (record is null || !HasOutput)
            return StagePlan.Run;
        var recorded = TrajectoryFile.RecordedTaskIds(OutputPath);
        var complete = Runnable.All(q => recorded.Contains(q.Id));
        return complete && record.Status == StageLedger.Done ? StagePlan.Skip : StagePlan.Resume;
    }

    public void Preflight()
    {
        try
        {
            _toolFactory = new AgentToolFactory();
            _tools = _toolFactory.Create(_agent);
        }
        catch (InvalidDataException ex)
        {
            throw new DistillConfigurationException($"the atlas teacher cannot build the agent's tools: {ex.Message}", ex);
        }
    }

    public void Reset() => StageFiles.Delete(OutputPath);

    public async Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        if (_tools is null)
            Preflight();
        if (!resume)
            Reset();
        var recorded = TrajectoryFile.RecordedTaskIds(OutputPath);
        var todo = Runnable.Where(q => !recorded.Contains(q.Id)).ToList();
        var errors = new List<string>();
        if (todo.Count > 0)
        {
            await using var sandbox = await CodeSandbox.StartAsync(
                new SandboxOptions { PoolSize = _teacher.ResolvedParallel, Timeout = TimeSpan.FromMilliseconds(_teacher.ResolvedTimeoutMs) },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            using var writer = new JsonlTrajectoryWriter(OutputPath);
            var run = new TeachingRun(_agent.Definition, sandbox, _tools!);
            var results = await _context.Progress.TrackTeacherAsync(todo.Count,
                progress => run.RunAsync(todo, writer, _teacher.ResolvedParallel, progress is null ? null : new CorrectnessProgress(progress), cancellationToken))
                .ConfigureAwait(false);
            errors.AddRange(results.Where(r => r.Error is not null).Select(r => $"{r.Question.Id}: {r.Error}"));
        }

        var recordedNow = TrajectoryFile.RecordedTaskIds(OutputPath);
        var missing = Runnable.Count(q => !recordedNow.Contains(q.Id));
        if (missing > 0)
            throw new InvalidOperationException(
                $"{missing} of {Runnable.Count} questions have no recorded run{(errors.Count > 0 ? $" (first error: {errors[0]})" : "")}; run distill again to retry them.");
        var (runs, correct) = TrajectoryFile.Count(OutputPath);
        return StageFiles.ToNode(new TeacherFigures(runs, correct, Runnable.Count, todo.Count));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<TeacherFigures>(results);
        return $"{f.Runs:N0} runs ({f.NewRuns:N0} new), {f.Correct:N0} correct";
    }

    public void Dispose() => _toolFactory?.Dispose();

    // What shapes the recorded trajectories: the prompt (instructions, style, tools), the limits, and the corpus the observations come from.
    private static JsonObject AgentParameters(LoadedAgent agent)
    {
        var d = agent.Definition;
        var parameters = new JsonObject
        {
            ["name"] = d.Name,
            ["instructions_sha256"] = StageFiles.Sha256Text(d.Instructions),
            ["prompt_style"] = d.PromptStyle.ToString(),
            ["tools"] = new JsonArray([.. d.Tools.Select(t => (JsonNode?)JsonValue.Create(t))]),
            ["max_steps"] = d.MaxSteps,
            ["planning_interval"] = d.PlanningInterval,
            ["observation_max_chars"] = d.ObservationMaxChars,
        };
        var corpus = d.ToolSettings.FirstOrDefault(kv => string.Equals(kv.Key, "Search", StringComparison.OrdinalIgnoreCase)).Value?
            .GetValueOrDefault("corpus");
        if (corpus is not null && File.Exists(agent.ResolvePath(corpus)))
            parameters["corpus_sha256"] = StageFiles.Sha256(agent.ResolvePath(corpus));
        return parameters;
    }

    /// <summary>Forwards each run's correctness to the progress bar.</summary>
    private sealed class CorrectnessProgress(IProgress<bool> inner) : IProgress<TeachingResult>
    {
        public void Report(TeachingResult value) => inner.Report(value.Correct);
    }
}
