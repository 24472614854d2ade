using System.Diagnostics;
using AgentKit.Abstractions.Models;

namespace AgentKit.Core.Cascade;

/// <summary>
/// A two-model cascade as one <see cref="ICandidateGenerator"/>: every request (actions, plans and the plain answer at the step limit alike) goes to the student with token log
/// probabilities on; when the rule finds the student's reply too uncertain, the same request goes to the teacher and
/// the teacher's candidates are returned instead. Each result says who produced it (<see cref="CandidateResult.Routing"/>),
/// which the agent records on action steps, so deferred steps can be exported as new SFT data. Thread-safe.
/// </summary>
public sealed class CascadeCandidateGenerator : ICandidateGenerator
{
    private readonly ICandidateGenerator _student;
    private readonly ICandidateGenerator _teacher;
    private readonly CascadeOptions _options;
    private long _requests;
    private long _deferred;

    /// <summary>Creates a cascade of <paramref name="student"/> then <paramref name="teacher"/>.</summary>
    public CascadeCandidateGenerator(ICandidateGenerator student, ICandidateGenerator teacher, CascadeOptions options)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(options);
        _student = student;
        _teacher = teacher;
        _options = options;
        Model = new ModelIdentity($"{student.Model.Name}+{teacher.Model.Name}", $"cascade of {student.Model.Source} and {teacher.Model.Source}", student.Model.Sha256);
    }

    /// <inheritdoc />
    public ModelIdentity Model { get; }

    /// <summary>Requests routed so far (those the rule scored).</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests sent on to the teacher so far.</summary>
    public long Deferred => Interlocked.Read(ref _deferred);

    /// <inheritdoc />
    public async Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        var studentResult = await _student.GenerateAsync(request with { TopLogprobs = request.TopLogprobs ?? 0 }, cancellationToken).ConfigureAwait(false);
        var features = UncertaintyFeatures.Compute(studentResult.Candidates);
        var uncertainty = _options.Rule.Uncertainty(features);
        var defer = uncertainty > _options.Threshold;
        double? threshold = double.IsFinite(_options.Threshold) ? _options.Threshold : null; // JSON has no infinity
        Interlocked.Increment(ref _requests);
        if (!defer)
        {
            return studentResult with
            {
                Candidates = request.TopLogprobs is null ? [.. studentResult.Candidates.Select(c => c with { Logprobs = null })] : studentResult.Candidates,
                Routing = new CascadeRouting(_student.Model.Name, false, _options.Rule.Name, uncertainty, threshold, features),
            };
        }
        Interlocked.Increment(ref _deferred);
        var teacherResult = await _teacher.GenerateAsync(request, cancellationToken).ConfigureAwait(false);
        // The student's tokens were spent too: the step's usage shows the whole cost of the cascade.
        return teacherResult with
        {
            PromptTokens = teacherResult.PromptTokens + studentResult.PromptTokens,
            Elapsed = Stopwatch.GetElapsedTime(started),
            Routing = new CascadeRouting(_teacher.Model.Name, true, _options.Rule.Name, uncertainty, threshold, features),
        };
    }
}
