using System.Text.Json.Nodes;
using AgentKit.Atlas.Data;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Teacher;
using AgentKit.Core.Definitions;
using AgentKit.Core.Trajectories;
using AgentKit.Sandbox;
using AgentKit.Abstractions.Tools;
using AgentKit.Hosting;

namespace AgentKit.Distillation;

/// <summary>
/// Runs the atlas programmatic teacher (<see cref="TeachingRun"/>) through the real runtime, sandbox and Search
/// index over a question file, recording into a trajectory JSONL. Resumable: an interrupted run is continued by
/// appending runs for the questions that have none yet. Two teachers use it: the recipe's own
/// (<see cref="ForRecipe"/>, <c>teacher-train.jsonl</c>) and the one over the invented atlas that stage
/// <c>synthetic</c> writes (<see cref="ForSyntheticAgent"/>, <c>teacher-synthetic.jsonl</c>), whose agent folder
/// and questions only exist once that stage ran, so they are read when first needed.
/// </summary>
internal sealed class AtlasTeacherStage : ITeacherStage, IDisposable
{
    private readonly DistillContext _context;
    private readonly TeacherRecipe _teacher;
    private readonly string _agentFolder;
    private readonly string _questionsPath;
    private readonly string _inputsLabel;
    private readonly bool _inputsMadeByEarlierStage;
    private TeacherInputs? _inputs;
    private AgentToolFactory? _toolFactory;
    private IReadOnlyList<IAgentTool>? _tools;

    private AtlasTeacherStage(DistillContext context, string name, string output, string agentFolder, string questionsPath, string inputsLabel, bool inputsMadeByEarlierStage)
    {
        _context = context;
        _teacher = context.Recipe.Recipe.Teacher;
        Name = name;
        Output = output;
        _agentFolder = agentFolder;
        _questionsPath = questionsPath;
        _inputsLabel = inputsLabel;
        _inputsMadeByEarlierStage = inputsMadeByEarlierStage;
        Parameters = [];
    }

    /// <summary>The recipe's teacher: its agent folder and <c>teacher.questions</c>, read (and checked) now.</summary>
    /// <exception cref="DistillConfigurationException">The agent definition or the questions are missing or unusable.</exception>
    public static AtlasTeacherStage ForRecipe(DistillContext context)
    {
        var teacher = context.Recipe.Recipe.Teacher;
        var stage = new AtlasTeacherStage(context, "teacher", WorkFiles.Teacher, context.Recipe.AgentFolder,
            context.Recipe.FromRecipe(teacher.Questions!), "teacher.questions", inputsMadeByEarlierStage: false);
        var inputs = stage.Inputs;
        stage.Parameters = new JsonObject
        {
            ["kind"] = TeacherRecipe.Atlas,
            ["questions"] = teacher.Questions,
            ["questions_sha256"] = StageFiles.Sha256(stage._questionsPath),
            ["timeout_ms"] = teacher.ResolvedTimeoutMs,
            ["agent"] = AgentParameters(inputs.Agent),
        };
        return stage;
    }

    /// <summary>
    /// The teacher over the invented atlas in the work folder's <c>synthetic/</c>. Its settings are only the time
    /// limit: what it answers is fixed by stage <c>synthetic</c>'s settings, and it is remade whenever that stage is.
    /// </summary>
    public static AtlasTeacherStage ForSyntheticAgent(DistillContext context)
    {
        var folder = context.Work(WorkFiles.SyntheticAgent);
        var stage = new AtlasTeacherStage(context, "teacher-synthetic", WorkFiles.SyntheticTeacher, folder,
            Path.Combine(folder, SyntheticAgentWriter.QuestionsFile), $"{WorkFiles.SyntheticAgent}/ in the work folder", inputsMadeByEarlierStage: true);
        stage.Parameters = new JsonObject
        {
            ["kind"] = TeacherRecipe.Atlas,
            ["questions"] = $"{WorkFiles.SyntheticAgent}/{SyntheticAgentWriter.QuestionsFile.Replace('\\', '/')}",
            ["timeout_ms"] = context.Recipe.Recipe.Teacher.ResolvedTimeoutMs,
        };
        return stage;
    }

    public string Name { get; }

    public string Output { get; }

    public JsonObject Parameters { get; private set; }

    public IReadOnlyList<string>? TaskOrder => [.. Inputs.Runnable.Select(q => q.Id)];

    public bool HasOutput => File.Exists(OutputPath);

    private string OutputPath => _context.Work(Output);

    private TeacherInputs Inputs => _inputs ??= LoadInputs();

    public StagePlan Assess(StageRecord? record)
    {
        if (record is null || !HasOutput)
            return StagePlan.Run;
        var recorded = TrajectoryFile.RecordedTaskIds(OutputPath);
        var complete = Inputs.Runnable.All(q => recorded.Contains(q.Id));
        return complete && record.Status == StageLedger.Done ? StagePlan.Skip : StagePlan.Resume;
    }

    public void Preflight()
    {
        // The synthetic agent's corpus does not exist before stage synthetic ran: its tools are built when it runs.
        if (!_inputsMadeByEarlierStage)
            BuildTools();
    }

    private void BuildTools()
    {
        try
        {
            _toolFactory ??= new AgentToolFactory();
            _tools = _toolFactory.Create(Inputs.Agent);
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
            BuildTools();
        if (!resume)
            Reset();
        var runnable = Inputs.Runnable;
        var recorded = TrajectoryFile.RecordedTaskIds(OutputPath);
        var todo = runnable.Where(q => !recorded.Contains(q.Id)).ToList();
        var errors = new List<string>();
        if (todo.Count > 0)
        {
            await using var sandbox = await CodeSandbox.StartAsync(
                new SandboxOptions { PoolSize = _teacher.ResolvedParallel, Timeout = TimeSpan.FromMilliseconds(_teacher.ResolvedTimeoutMs) },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            using var writer = new JsonlTrajectoryWriter(OutputPath);
            var run = new TeachingRun(Inputs.Agent.Definition, sandbox, _tools!);
            var results = await _context.Progress.TrackTeacherAsync(todo.Count,
                progress => run.RunAsync(todo, writer, _teacher.ResolvedParallel, progress is null ? null : new CorrectnessProgress(progress), cancellationToken))
                .ConfigureAwait(false);
            errors.AddRange(results.Where(r => r.Error is not null).Select(r => $"{r.Question.Id}: {r.Error}"));
        }

        var recordedNow = TrajectoryFile.RecordedTaskIds(OutputPath);
        var missing = runnable.Count(q => !recordedNow.Contains(q.Id));
        if (missing > 0)
            throw new InvalidOperationException(
                $"{missing} of {runnable.Count} questions have no recorded run{(errors.Count > 0 ? $" (first error: {errors[0]})" : "")}; run distill again to retry them.");
        var (runs, correct) = TrajectoryFile.Count(OutputPath);
        return StageFiles.ToNode(new TeacherFigures(runs, correct, runnable.Count, todo.Count));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<TeacherFigures>(results);
        return $"{f.Runs:N0} runs ({f.NewRuns:N0} new), {f.Correct:N0} correct";
    }

    public void Dispose() => _toolFactory?.Dispose();

    private TeacherInputs LoadInputs()
    {
        LoadedAgent agent;
        try
        {
            agent = AgentDefinitionLoader.Load(_agentFolder);
        }
        catch (InvalidDataException ex)
        {
            throw new DistillConfigurationException($"the atlas teacher needs an agent definition in {_agentFolder}: {ex.Message}", ex);
        }
        IReadOnlyList<AtlasQuestion> questions;
        try
        {
            questions = QuestionFile.Read(_questionsPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidDataException)
        {
            throw new DistillConfigurationException($"{_inputsLabel}: {ex.Message}", ex);
        }
        // Questions the runtime refuses (empty text) never get a run, so completeness is judged on the others.
        IReadOnlyList<AtlasQuestion> runnable = [.. questions.Where(q => !string.IsNullOrWhiteSpace(q.Question))];
        if (runnable.Count == 0)
            throw new DistillConfigurationException($"{_inputsLabel}: {_questionsPath} holds no runnable question.");
        if (runnable.Select(q => q.Id).Distinct().Count() != runnable.Count)
            throw new DistillConfigurationException($"{_inputsLabel}: {_questionsPath} repeats question ids; resuming needs unique ids.");
        return new TeacherInputs(agent, runnable);
    }

    /// <summary>The agent the teacher runs and the questions that get a run.</summary>
    private sealed record TeacherInputs(LoadedAgent Agent, IReadOnlyList<AtlasQuestion> Runnable);

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
            ["task_variable"] = d.TaskVariable,
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
