using System.Diagnostics;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Definitions;
using AgentKit.Core.Running;
using AgentKit.Core.Scoring;
using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Core.Distillation;

/// <summary>
/// CoT distillation data (the paper's Table 2 "CoT" row): one plain chain-of-thought request to the teacher with the
/// prompt <see cref="ChainOfThoughtAnswering"/> uses at eval time, recorded as a run without action steps whose
/// <see cref="FinalAnswerStep"/> (source <see cref="FinalAnswerSource.ChainOfThought"/>) holds the prompt and the reply,
/// so the SFT exporter trains on exactly what <c>eval --mode cot</c> will ask. The answer is extracted as eval extracts
/// it and graded by <see cref="AnswerScorer"/>, as agent runs are.
/// </summary>
public static class ChainOfThoughtRecord
{
    /// <summary>Asks <paramref name="teacher"/> once and returns the run (answered, or failed when the reply gave no answer).</summary>
    /// <param name="teacher">The teacher model.</param>
    /// <param name="definition">The agent definition whose sampling (temperature, seed) and snapshot the run records.</param>
    /// <param name="task">The task.</param>
    /// <param name="kind">Which answer form to ask for (math: boxed; factual: "Final answer:").</param>
    /// <param name="maxTokens">Tokens the reply may take.</param>
    /// <param name="timeProvider">Clock of the run's start and duration (default: system).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public static async Task<TrajectoryRecord> RunAsync(ICandidateGenerator teacher, AgentDefinition definition, TrajectoryTask task, BenchmarkKind kind,
        int maxTokens, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(task);
        var clock = timeProvider ?? TimeProvider.System;
        var startedAt = clock.GetUtcNow();
        var started = clock.GetTimestamp();
        var sampling = definition.Sampling;
        var messages = ChainOfThoughtAnswering.Messages(task.Question, kind);
        var request = new CandidateRequest { Messages = [.. messages], N = 1, Temperature = sampling.Temperature, Seed = sampling.Seed, MaxTokens = maxTokens }.Validate();
        var result = await teacher.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
        var reply = result.Candidates.Count > 0 ? result.Candidates[0].Text : "";
        var answer = ChainOfThoughtAnswering.Extract(reply, kind);
        var usage = new ModelUsage(result.Elapsed.TotalMilliseconds, result.PromptTokens, result.Candidates.Sum(c => c.Tokens));
        var prompt = messages.Select(m => new PromptMessage(m.Role.Value, m.Text)).ToList();
        var answered = answer is not null;
        return new TrajectoryRecord
        {
            RunId = Guid.NewGuid().ToString("N"),
            StartedAt = startedAt,
            DurationMs = clock.GetElapsedTime(started).TotalMilliseconds,
            Task = task,
            Agent = definition.ToSnapshot(),
            Model = teacher.Model,
            Sampling = new SamplingSettings(1, sampling.Temperature, sampling.TopP, sampling.Seed, maxTokens, false),
            Steps = answered
                ? [new TaskStep(task.Question), new FinalAnswerStep(answer!, FinalAnswerSource.ChainOfThought, prompt, reply, usage)]
                : [new TaskStep(task.Question)],
            FinalAnswer = answer,
            Outcome = answered ? RunOutcome.Answered : RunOutcome.Failed,
            Error = answered ? null : "the chain-of-thought reply gave no answer.",
            Score = answered && task.ReferenceAnswer is { } reference ? AnswerScorer.Score(answer, reference) : null,
            PromptTokens = usage.PromptTokens,
            CompletionTokens = usage.CompletionTokens,
        };
    }
}
