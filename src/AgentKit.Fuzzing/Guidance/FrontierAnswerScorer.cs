using System.Security.Cryptography;
using AgentKit.Fuzzing.Execution;
using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Scores a model's answers to frontier questions (the <c>fuzz-distance</c> GRPO reward): the answer's input
/// (<see cref="FrontierPrompt.ExtractInput"/>) runs in one block-mode worker for the whole training run, with its
/// timeout and crash capture, and <see cref="DistanceReward"/> scores it for the question's target. The campaign's
/// covered set, against which new coverage earns the bonus, is what the questions' seeds and the given corpus cover,
/// measured once: a score depends on the input and the question only, and repeated inputs are answered from a cache.
/// Inputs that are findings are written to <see cref="FrontierAnswerScorerOptions.FindingsDirectory"/> and counted.
/// Thread-safe (one input runs at a time).
/// </summary>
public sealed class FrontierAnswerScorer : IDisposable
{
    private readonly BlockCoverageRunner _runner;
    private readonly Dictionary<int, DistanceReward> _rewards = [];
    private readonly Dictionary<(int Target, string Hash), Reward> _cache = [];
    private readonly HashSet<string> _findings = [];
    private readonly FrontierAnswerScorerOptions _options;
    private readonly string? _ownedDirectory;
    private readonly Lock _gate = new();
    private readonly HashSet<int> _covered;

    /// <summary>Starts the worker on the block-mode twin <paramref name="blockManifest"/> and measures the covered set.</summary>
    /// <param name="blockManifest">The twin's <c>target.json</c> (<see cref="BlockModeTarget.Create"/>).</param>
    /// <param name="map">Branch map of the instrumented target.</param>
    /// <param name="questions">The questions to score answers for; every target must be an unambiguous block of <paramref name="map"/>.</param>
    /// <param name="corpus">Inputs the campaign had, besides the seeds (may be empty).</param>
    /// <param name="options">Timeout, reward constants, first-stage gate, findings folder.</param>
    /// <exception cref="ArgumentException">A question's target is not a block of the map (questions of another target), or no question is given.</exception>
    public FrontierAnswerScorer(string blockManifest, BranchMap map, IReadOnlyList<FrontierQuestion> questions, IEnumerable<byte[]> corpus,
        FrontierAnswerScorerOptions? options = null)
        : this(blockManifest, map, questions, corpus, options, null)
    {
    }

    private FrontierAnswerScorer(string blockManifest, BranchMap map, IReadOnlyList<FrontierQuestion> questions, IEnumerable<byte[]> corpus,
        FrontierAnswerScorerOptions? options, string? ownedDirectory)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(corpus);
        if (questions.Count == 0)
            throw new ArgumentException("no questions to score answers for", nameof(questions));
        _options = options ?? new FrontierAnswerScorerOptions();
        _ownedDirectory = ownedDirectory;
        var gate = _options.FirstStageMethod is { } method ? FirstStageGate.AtMethodEntry(map, method) : null;
        foreach (var question in questions)
        {
            if (_rewards.ContainsKey(question.TargetId))
                continue;
            try
            {
                _rewards[question.TargetId] = new DistanceReward(map, question.TargetId, _options.Reward, gate);
            }
            catch (ArgumentException e)
            {
                var reason = e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
                throw new ArgumentException($"question about {question.Method}: {reason} (questions of another target?)", nameof(questions), e);
            }
        }
        _runner = new BlockCoverageRunner(blockManifest, _options.ExecTimeout, _options.MemoryLimitMb, _options.RunnerPath);
        try
        {
            _covered = _runner.Cover(questions.Select(q => q.SeedBytes()).Concat(corpus));
        }
        catch
        {
            _runner.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A scorer for <paramref name="harness"/> on <paramref name="target"/>: its block-mode twin is written to a temporary
    /// folder that is deleted with the scorer; the branch map is the target's (<see cref="BranchMap.For"/>).
    /// </summary>
    public static FrontierAnswerScorer ForTarget(InstrumentedTarget target, FuzzHarness harness, IReadOnlyList<FrontierQuestion> questions,
        IEnumerable<byte[]> corpus, FrontierAnswerScorerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(harness);
        var twin = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-reward-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            return new FrontierAnswerScorer(BlockModeTarget.Create(target, harness, twin), BranchMap.For(target), questions, corpus, options, twin);
        }
        catch
        {
            TryDelete(twin);
            throw;
        }
    }

    /// <summary>Probe blocks the seeds and the corpus cover: new coverage is measured against it.</summary>
    public IReadOnlySet<int> Covered => _covered;

    /// <summary>Distinct inputs that were findings so far.</summary>
    public int Findings
    {
        get
        {
            lock (_gate)
                return _findings.Count;
        }
    }

    /// <summary>Candidate inputs run in the worker so far (cache hits not counted).</summary>
    public int Executions { get; private set; }

    /// <summary>Scores the input a model's <paramref name="completion"/> proposes for <paramref name="question"/>.</summary>
    public Reward ScoreCompletion(FrontierQuestion question, string completion)
    {
        ArgumentNullException.ThrowIfNull(question);
        return Score(question, FrontierPrompt.ExtractInput(completion, question.SeedIsBase64));
    }

    /// <summary>Runs <paramref name="input"/> and scores it for <paramref name="question"/>'s target.</summary>
    /// <exception cref="ArgumentException">The question's target was not among the questions the scorer was built with.</exception>
    public Reward Score(FrontierQuestion question, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(input);
        if (!_rewards.TryGetValue(question.TargetId, out var reward))
            throw new ArgumentException($"target {question.TargetId} is not one of the scorer's questions", nameof(question));
        var hash = Convert.ToHexStringLower(SHA256.HashData(input));
        lock (_gate)
        {
            if (_cache.TryGetValue((question.TargetId, hash), out var known))
                return known;
            var run = _runner.Run(input);
            Executions++;
            var score = reward.Score(run, _covered);
            if (run.Finding && _options.FindingsDirectory is { } folder)
            {
                var file = Path.Combine(folder, $"{run.Kind}-{hash[..16]}");
                if (_findings.Add(file))
                {
                    Directory.CreateDirectory(folder);
                    File.WriteAllBytes(file, input);
                }
                score = score with { Reason = $"{score.Reason}; saved as {Path.GetFileName(file)}" };
            }
            else if (run.Finding)
            {
                _findings.Add(hash);
            }
            _cache[(question.TargetId, hash)] = score;
            return score;
        }
    }

    /// <summary>Stops the worker and deletes a twin the scorer made.</summary>
    public void Dispose()
    {
        _runner.Dispose();
        if (_ownedDirectory is not null)
            TryDelete(_ownedDirectory);
    }

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } // a worker may still hold a file
    }
}
