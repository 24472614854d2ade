using System.Collections.Concurrent;
using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Tools;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Scoring;
using AgentKit.Core;
using AgentKit.Core.Definitions;
using AgentKit.Core.Running;

namespace AgentKit.Atlas.Teacher;

/// <summary>The outcome of one question run by the teacher.</summary>
/// <param name="Question">The question.</param>
/// <param name="Answer">The run's final answer (null when the run failed or was skipped).</param>
/// <param name="Correct">Whether <see cref="AtlasAnswerScorer"/> accepts the answer.</param>
/// <param name="Steps">Action steps taken.</param>
/// <param name="Skipped">Why the question was not run (the runtime refuses an empty task), or null.</param>
/// <param name="Error">The error of a failed run, or null.</param>
public sealed record TeachingResult(AtlasQuestion Question, string? Answer, bool Correct, int Steps, string? Skipped = null, string? Error = null);

/// <summary>
/// Runs the <see cref="AtlasTeacher"/> through the real agent loop (<see cref="Agent"/>) over a question list:
/// the host supplies the sandbox and the tools (the real Search over the atlas index), so every observation in
/// the recorded trajectories is genuine. Runs go to the sink as they finish; a failed run is recorded by the
/// agent and reported, never fatal.
/// </summary>
public sealed class TeachingRun
{
    private readonly AgentDefinition _definition;
    private readonly ICodeSandbox _sandbox;
    private readonly IReadOnlyList<IAgentTool> _tools;

    /// <summary>Uses <paramref name="definition"/> (the atlas agent) with one candidate per step, whatever it says.</summary>
    public TeachingRun(AgentDefinition definition, ICodeSandbox sandbox, IReadOnlyList<IAgentTool> tools)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(sandbox);
        ArgumentNullException.ThrowIfNull(tools);
        // The teacher writes one action per step; sampling settings only shape the recorded metadata.
        _definition = definition with { Sampling = definition.Sampling with { Candidates = 1, Temperature = 0 } };
        _sandbox = sandbox;
        _tools = tools;
    }

    /// <summary>Runs every question (<paramref name="parallelism"/> at a time) and returns the results in question order.</summary>
    public async Task<IReadOnlyList<TeachingResult>> RunAsync(
        IReadOnlyList<AtlasQuestion> questions, ITrajectorySink? sink, int parallelism = 1,
        IProgress<TeachingResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var runnable = questions.Where(q => !string.IsNullOrWhiteSpace(q.Question)).ToList();
        var agent = new Agent(_definition, new TeacherCandidateGenerator(runnable), _sandbox, _tools, new AgentRunOptions { Sink = sink });
        var results = new ConcurrentDictionary<int, TeachingResult>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, questions.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var result = await RunOneAsync(agent, questions[i], ct).ConfigureAwait(false);
                results[i] = result;
                progress?.Report(result);
            }).ConfigureAwait(false);
        return [.. Enumerable.Range(0, questions.Count).Select(i => results[i])];
    }

    private static async Task<TeachingResult> RunOneAsync(Agent agent, AtlasQuestion question, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(question.Question))
            return new TeachingResult(question, null, false, 0, Skipped: "the runtime refuses an empty task");
        try
        {
            var run = await agent.RunAsync(new TrajectoryTask(question.Id, question.Question, question.Answer), null, cancellationToken).ConfigureAwait(false);
            return new TeachingResult(question, run.FinalAnswer, AtlasAnswerScorer.IsCorrect(question, run.FinalAnswer), run.ActionSteps);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            return new TeachingResult(question, null, false, 0, Error: ex.Message);
        }
    }
}
