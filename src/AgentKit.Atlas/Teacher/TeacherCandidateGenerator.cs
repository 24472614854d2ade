using System.Diagnostics;
using AgentKit.Abstractions.Models;
using AgentKit.Atlas.Questions;
using AgentKit.Core.Actions;
using AgentKit.Core.Prompts;
using Microsoft.Extensions.AI;

namespace AgentKit.Atlas.Teacher;

/// <summary>
/// A scripted <see cref="ICandidateGenerator"/> that plays the <see cref="AtlasTeacher"/> inside the real agent
/// loop: it finds the question from the prompt's <c>Task:</c> message, collects the observations the runtime
/// appended after each earlier action, and returns the teacher's next action. Run through the runtime with
/// the real sandbox and Search tool, the recorded trajectories are exactly the runtime's format with genuine
/// observations. Safe for concurrent runs (it keeps no per-run state). With <c>takeOver</c> it can also step into a
/// run someone else started (a cascade's teacher): it continues its own latest actions, and when the last action was
/// not its own it plans afresh from the question, since another model's variables and steps are not its plan's.
/// </summary>
public sealed class TeacherCandidateGenerator : ICandidateGenerator
{
    private const string TaskLabel = "Task: ";

    private readonly Dictionary<string, AtlasQuestion> _byQuestion;
    private readonly AtlasTeacher _teacher;
    private readonly bool _takeOver;

    /// <summary>Serves <paramref name="questions"/>; question texts must be distinct.</summary>
    /// <param name="questions">The questions it can answer.</param>
    /// <param name="teacher">The teacher (default: a new one).</param>
    /// <param name="takeOver">Expect runs where other models wrote some actions (a cascade), and continue only its own.</param>
    /// <exception cref="ArgumentException">Two questions share a text.</exception>
    public TeacherCandidateGenerator(IEnumerable<AtlasQuestion> questions, AtlasTeacher? teacher = null, bool takeOver = false)
    {
        ArgumentNullException.ThrowIfNull(questions);
        _teacher = teacher ?? new AtlasTeacher();
        _takeOver = takeOver;
        _byQuestion = new Dictionary<string, AtlasQuestion>(StringComparer.Ordinal);
        foreach (var q in questions)
        {
            if (!_byQuestion.TryAdd(q.Question.Trim(), q))
                throw new ArgumentException($"Questions {_byQuestion[q.Question.Trim()].Id} and {q.Id} have the same text; the teacher could not tell them apart.", nameof(questions));
        }
    }

    /// <inheritdoc />
    public ModelIdentity Model { get; } = new("atlas-teacher", "programmatic teacher (AgentKit.Atlas)");

    /// <inheritdoc />
    public Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        var messages = request.Messages ?? throw new ArgumentException("The teacher reads chat messages; the request has a raw prompt.", nameof(request));

        var text = messages.LastOrDefault()?.Role == ChatRole.User && messages[^1].Text.Contains(PromptTexts.FinalAnswerRequest.Trim(), StringComparison.Ordinal)
            ? AtlasTeacher.NotFound // the step limit: a plan always ends earlier, so say so honestly
            : NextAction(FindQuestion(messages), messages);
        var candidates = Enumerable.Range(0, request.N).Select(_ => new CandidateCompletion(text, 0, FinishReasons.Stop)).ToList();
        return Task.FromResult(new CandidateResult(candidates, 0, Stopwatch.GetElapsedTime(started)));
    }

    private string NextAction(AtlasQuestion question, IReadOnlyList<ChatMessage> messages)
    {
        var observations = Observations(messages);
        if (!_takeOver)
            return _teacher.NextAction(question, observations);
        // The longest tail of actions that is the teacher's own plan from its first step: continue it; none: start over.
        var actions = messages.Where(m => m.Role == ChatRole.Assistant).Select(m => Canonical(m.Text)).ToList();
        for (var start = 0; start < actions.Count; start++)
        {
            if (IsOwnPlan(question, actions, observations, start))
                return _teacher.NextAction(question, observations[start..]);
        }
        return _teacher.NextAction(question, []);
    }

    private bool IsOwnPlan(AtlasQuestion question, List<string> actions, List<string> observations, int start)
    {
        for (var i = start; i < actions.Count; i++)
        {
            if (Canonical(_teacher.NextAction(question, observations[start..i])) != actions[i])
                return false;
        }
        return true;
    }

    /// <summary>Actions compare in the agent's normalised form (what its memory replays), raw text when unparsable.</summary>
    private static string Canonical(string action) =>
        ActionParser.Parse(action) is { Succeeded: true } parsed ? parsed.ToCanonicalText().Trim() : action.Trim();

    private AtlasQuestion FindQuestion(IReadOnlyList<ChatMessage> messages)
    {
        var task = messages.FirstOrDefault(m => m.Role == ChatRole.User && m.Text.StartsWith(TaskLabel, StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The prompt has no \"Task:\" message; the teacher cannot tell which question it is.");
        var question = task.Text[TaskLabel.Length..];
        var end = question.IndexOf("\n\n", StringComparison.Ordinal); // a later user message merged into this one
        if (end >= 0)
            question = question[..end];
        return _byQuestion.TryGetValue(question.Trim(), out var q)
            ? q
            : throw new InvalidOperationException($"The teacher has no plan for the task \"{question.Trim()}\".");
    }

    /// <summary>The observations, one per assistant action so far, in order.</summary>
    private static List<string> Observations(IReadOnlyList<ChatMessage> messages)
    {
        var observations = new List<string>();
        for (var i = 0; i < messages.Count - 1; i++)
        {
            if (messages[i].Role != ChatRole.Assistant)
                continue;
            var next = messages[i + 1].Text;
            var label = PromptTexts.ObservationLabel + " ";
            observations.Add(next.StartsWith(label, StringComparison.Ordinal) ? next[label.Length..] : next);
        }
        return observations;
    }
}
