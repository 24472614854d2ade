using AgentKit.Abstractions.Trajectories;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Scoring;
using AgentKit.Atlas.Teacher;
using AgentKit.Core.Definitions;
using AgentKit.Core.Running;
using AgentKit.Core.Trajectories;
using AgentKit.Hosting;
using AgentKit.Hosting.Evaluation;
using AgentKit.Sandbox;

namespace AgentKit.Atlas.Evaluation;

/// <summary>How <see cref="AtlasEvaluation.RunAsync"/> evaluates.</summary>
public sealed record AtlasEvalOptions
{
    /// <summary>Candidate counts, one pass each (1-64 each; default 1 and 8).</summary>
    public IReadOnlyList<int> Candidates { get; init; } = [1, 8];

    /// <summary>Also run the programmatic teacher on the same questions (checks the question generator).</summary>
    public bool Teacher { get; init; }

    /// <summary>
    /// Folder to record each pass's runs to (<c>n&lt;N&gt;.jsonl</c>, or <c>n&lt;N&gt;-seed&lt;S&gt;.jsonl</c> with <see cref="Seeds"/>;
    /// <c>teacher.jsonl</c>), or null.
    /// </summary>
    public string? TrajectoryFolder { get; init; }

    /// <summary>
    /// Sampling seeds, one pass per candidate count and seed, whose mean and spread the report adds
    /// (<see cref="AtlasEvalReport.Spreads"/>): a small model's success moves by points from one seed to the next. Null:
    /// one pass per count, sampled with the agent settings' seed.
    /// </summary>
    public IReadOnlyList<int>? Seeds { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting; returns this otherwise.</summary>
    public AtlasEvalOptions Validate()
    {
        if (Candidates.Count == 0)
            throw new ArgumentException("at least one candidate count is needed.");
        if (Seeds is { Count: 0 })
            throw new ArgumentException("at least one seed is needed when seeds are given.");
        if (Seeds is not null && Seeds.Distinct().Count() != Seeds.Count)
            throw new ArgumentException($"the seeds repeat: {string.Join(",", Seeds)}.");
        if (Candidates.FirstOrDefault(n => n is < 1 or > 64) is var bad and not 0)
            throw new ArgumentException($"candidate counts must be between 1 and 64, got {bad}.");
        return this;
    }
}

/// <summary>Where a pass stands: its name, questions done of its total, and correct so far.</summary>
/// <param name="Pass"><c>N=1</c>, … or <c>teacher</c>.</param>
/// <param name="Done">Questions finished.</param>
/// <param name="Total">Questions in the pass.</param>
/// <param name="Correct">Correct so far.</param>
public sealed record AtlasEvalProgress(string Pass, int Done, int Total, int Correct);

/// <summary>
/// The atlas agent's evaluation (<c>agentkit atlas eval</c>): runs the agent's model on a question split once per candidate
/// count, grades every answer with <see cref="AtlasAnswerScorer"/> (years and counts exact, other numbers within 1%), and
/// reports success overall and per family, parse errors per sampled action, mean steps, seconds per task, what became of the
/// unanswerable questions, and optionally the programmatic teacher's success on the same questions.
/// </summary>
public static class AtlasEvaluation
{
    private const string EmptyRefused = "refused (empty question)";

    /// <summary>Evaluates the agent of <paramref name="settings"/> (its candidate count set per pass) on <paramref name="questions"/>.</summary>
    /// <param name="settings">The agent to host.</param>
    /// <param name="questionsSource">The question file, named in the report.</param>
    /// <param name="questions">The questions to run.</param>
    /// <param name="options">Passes and recording.</param>
    /// <param name="progress">Hears the start of each pass and every finished question.</param>
    /// <param name="cancellationToken">Stops the evaluation.</param>
    public static async Task<AtlasEvalReport> RunAsync(AgentHostSettings settings, string questionsSource, IReadOnlyList<AtlasQuestion> questions,
        AtlasEvalOptions options, IProgress<AtlasEvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var ct = cancellationToken;
        var folder = options.TrajectoryFolder;
        if (folder is not null)
            Directory.CreateDirectory(folder);
        var configurations = new List<AtlasEvalPass>();
        var model = "";
        var seeds = options.Seeds is { } given ? given.Select(s => (int?)s).ToList() : [settings.Seed];
        foreach (var n in options.Candidates.Distinct())
        foreach (var seed in seeds)
        {
            await using var host = await AgentHost.OpenAsync(settings with { Candidates = n, Seed = seed }, ct).ConfigureAwait(false);
            model = host.Agent.ModelPath ?? host.Agent.Definition.Model.Endpoint ?? "";
            var suffix = options.Seeds is null ? "" : $"-seed{seed}";
            var path = folder is null ? null : Path.Combine(folder, $"n{n}{suffix}.jsonl");
            using var writer = path is null ? null : new JsonlTrajectoryWriter(path);
            var agent = host.CreateAgent(new AgentRunOptions { Sink = writer });
            var pass = options.Seeds is null ? $"N={n}" : $"N={n} seed={seed}";
            var results = new List<QuestionOutcome>();
            progress?.Report(new AtlasEvalProgress(pass, 0, questions.Count, 0));
            foreach (var question in questions)
            {
                results.Add(await RunOneAsync(agent, question, ct).ConfigureAwait(false));
                progress?.Report(new AtlasEvalProgress(pass, results.Count, questions.Count, results.Count(r => r.Correct)));
            }
            configurations.Add(Summarize(pass, n, results, writer?.Path) with
            {
                CascadeRequests = host.Cascade?.Requests, DeferredRequests = host.Cascade?.Deferred, Seed = options.Seeds is null ? null : seed,
            });
        }
        if (options.Teacher)
            configurations.Add(await RunTeacherAsync(settings, questions, folder, progress, ct).ConfigureAwait(false));
        return new AtlasEvalReport(Path.GetFullPath(questionsSource), model, configurations);
    }

    private static async Task<QuestionOutcome> RunOneAsync(Core.Agent agent, AtlasQuestion question, CancellationToken ct)
    {
        // The runtime refuses an empty task with an error before any model call: that refusal is the honest outcome.
        if (string.IsNullOrWhiteSpace(question.Question))
            return new QuestionOutcome(question.Id, question.Family, question.Question, question.Answer, EmptyRefused, question.Family == QuestionFamilies.Bad, 0, 0, 0, 0, null);
        var result = await TaskEvaluator.RunOneAsync(agent, new TrajectoryTask(question.Id, question.Question, question.Answer), null, ct).ConfigureAwait(false);
        var correct = result.Error is null && AtlasAnswerScorer.IsCorrect(question, result.Answer);
        return new QuestionOutcome(question.Id, question.Family, question.Question, question.Answer, result.Answer, correct, result.Steps,
            result.Seconds, result.Candidates, result.ParseErrors, result.Error);
    }

    private static async Task<AtlasEvalPass> RunTeacherAsync(AgentHostSettings settings, IReadOnlyList<AtlasQuestion> questions, string? folder,
        IProgress<AtlasEvalProgress>? progress, CancellationToken ct)
    {
        var loaded = AgentDefinitionLoader.Load(settings.AgentFolder, settings.LoadOptions);
        using var toolFactory = new AgentToolFactory();
        var tools = toolFactory.Create(loaded);
        await using var sandbox = await CodeSandbox.StartAsync(
            new SandboxOptions { PoolSize = 2, Timeout = TimeSpan.FromMilliseconds(Math.Max(settings.TimeoutMs, 20_000)), MemoryLimitMb = settings.MemoryMb },
            cancellationToken: ct).ConfigureAwait(false);
        var path = folder is null ? null : Path.Combine(folder, "teacher.jsonl");
        using var writer = path is null ? null : new JsonlTrajectoryWriter(path);
        var started = TimeProvider.System.GetTimestamp();
        progress?.Report(new AtlasEvalProgress("teacher", 0, questions.Count, 0));
        var results = await new TeachingRun(loaded.Definition, sandbox, tools).RunAsync(questions, writer, 2, null, ct).ConfigureAwait(false);
        var seconds = TimeProvider.System.GetElapsedTime(started).TotalSeconds / Math.Max(1, questions.Count);
        var outcomes = results.Select(r => new QuestionOutcome(r.Question.Id, r.Question.Family, r.Question.Question, r.Question.Answer,
            r.Skipped is null ? r.Answer : EmptyRefused, r.Correct || (r.Skipped is not null && r.Question.Family == QuestionFamilies.Bad), r.Steps,
            Math.Round(seconds, 3), r.Steps, 0, r.Error)).ToList();
        progress?.Report(new AtlasEvalProgress("teacher", questions.Count, questions.Count, outcomes.Count(o => o.Correct)));
        return Summarize("teacher", 1, outcomes, writer?.Path);
    }

    private static AtlasEvalPass Summarize(string name, int n, IReadOnlyList<QuestionOutcome> results, string? trajectories)
    {
        var families = results.GroupBy(r => r.Family).OrderBy(g => g.Key == QuestionFamilies.Bad).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new FamilySuccess(g.Key, g.Count(), g.Count(r => r.Correct), Ratio(g.Count(r => r.Correct), g.Count())))
            .ToList();
        var bad = results.Where(r => r.Family == QuestionFamilies.Bad).ToList();
        var badOutcomes = new BadOutcomes(
            bad.Count,
            bad.Count(r => r.Error is null && r.Answer != EmptyRefused && AtlasAnswerScorer.IsNotFound(r.Answer)),
            bad.Count(r => r.Answer == EmptyRefused),
            bad.Count(r => r.Error is null && r.Answer != EmptyRefused && !AtlasAnswerScorer.IsNotFound(r.Answer)),
            bad.Count(r => r.Error is not null));
        var ran = results.Where(r => r.Answer != EmptyRefused).ToList();
        var candidates = ran.Sum(r => r.Candidates);
        return new AtlasEvalPass(name, n, results.Count, Ratio(results.Count(r => r.Correct), results.Count), families,
            candidates == 0 ? 0 : Ratio(ran.Sum(r => r.ParseErrors), candidates),
            ran.Count == 0 ? 0 : Math.Round(ran.Average(r => r.Steps), 2),
            ran.Count == 0 ? 0 : Math.Round(ran.Average(r => r.Seconds), 2),
            badOutcomes, trajectories, results);
    }

    private static double Ratio(int part, int whole) => whole == 0 ? 0 : Math.Round((double)part / whole, 4);
}
