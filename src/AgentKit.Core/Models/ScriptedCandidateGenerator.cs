using System.Diagnostics;
using AgentKit.Abstractions.Models;

namespace AgentKit.Core.Models;

/// <summary>
/// A generator that replays scripted replies instead of running a model: for tests of the loop's control
/// flow, for benchmarks of the runtime without model time, and for demos. Each request gets the candidate
/// texts the script returns for it; tokens are counted as whitespace-separated words.
/// </summary>
public sealed class ScriptedCandidateGenerator : ICandidateGenerator
{
    private readonly Func<CandidateRequest, int, IReadOnlyList<string>> _script;
    private readonly List<CandidateRequest> _requests = [];
    private readonly Lock _lock = new();

    /// <summary>Creates a generator whose replies come from <paramref name="script"/>(request, 0-based request number).</summary>
    public ScriptedCandidateGenerator(Func<CandidateRequest, int, IReadOnlyList<string>> script, string name = "scripted")
    {
        ArgumentNullException.ThrowIfNull(script);
        _script = script;
        Model = new ModelIdentity(name, "scripted");
    }

    /// <summary>Replies with <paramref name="replies"/>[i] to request i; runs out with an explanatory error.</summary>
    public static ScriptedCandidateGenerator FromReplies(params IReadOnlyList<string>[] replies) =>
        new((_, i) => i < replies.Length
            ? replies[i]
            : throw new InvalidOperationException($"The script has {replies.Length} replies but request {i + 1} was made."));

    /// <inheritdoc />
    public ModelIdentity Model { get; }

    /// <summary>
    /// The log probability of each whitespace-separated word of a reply, reported as its tokens' log probabilities when a
    /// request asks for them (<see cref="CandidateRequest.TopLogprobs"/>): a scripted student whose uncertainty is known.
    /// Null (default): such requests throw <see cref="NotSupportedException"/>, as for any backend without log probabilities.
    /// </summary>
    public Func<string, double>? WordLogprob { get; init; }

    /// <summary>The requests received so far, in order.</summary>
    public IReadOnlyList<CandidateRequest> Requests
    {
        get { lock (_lock) return [.. _requests]; }
    }

    /// <inheritdoc />
    public Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var started = Stopwatch.GetTimestamp();
        int index;
        lock (_lock)
        {
            index = _requests.Count;
            _requests.Add(request);
        }
        if (request.TopLogprobs is not null && WordLogprob is null)
            throw new NotSupportedException("This scripted generator reports no log probabilities (set WordLogprob).");
        var texts = _script(request, index);
        var candidates = texts.Select(t => new CandidateCompletion(t, CountTokens(t), FinishReasons.Stop)
        {
            Logprobs = request.TopLogprobs is null ? null : [.. Words(t).Select(w => new TokenLogprob(w, System.Text.Encoding.UTF8.GetBytes(w), WordLogprob!(w), []))],
        }).ToList();
        var promptTokens = request.Prompt is { } p ? CountTokens(p) : request.Messages!.Sum(m => CountTokens(m.Text));
        return Task.FromResult(new CandidateResult(candidates, promptTokens, Stopwatch.GetElapsedTime(started)));
    }

    private static int CountTokens(string text) => Words(text).Length;

    private static string[] Words(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
}
