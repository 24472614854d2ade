using System.Runtime.CompilerServices;
using AgentKit.Abstractions.Models;

namespace AgentKit.Server.Tests.Fakes;

/// <summary>
/// A scripted model for control-flow tests: candidate i answers "reply i seed S: {last message}", streamed
/// word by word; a last message containing "FAIL" throws; it records how many calls ran at once.
/// </summary>
internal sealed class ScriptedGenerator(TimeSpan delay = default, bool streaming = true) : IStreamingCandidateGenerator
{
    private int _running;
    private int _maxRunning;

    public ModelIdentity Model { get; } = new("scripted", "memory");

    public int MaxConcurrentCalls => Volatile.Read(ref _maxRunning);

    public List<CandidateRequest> Requests { get; } = [];

    public bool Streaming => streaming;

    public static string Reply(int index, int? seed, string message) => $"reply {index} seed {seed?.ToString() ?? "none"}: {message}";

    public async Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default)
    {
        using var _ = Enter();
        lock (Requests)
            Requests.Add(request);
        await Task.Delay(delay, cancellationToken);
        var message = LastMessage(request);
        if (message.Contains("FAIL", StringComparison.Ordinal))
            throw new InvalidOperationException("scripted failure");
        var candidates = Enumerable.Range(0, request.N)
            .Select(i => new CandidateCompletion(Reply(i, request.Seed, message), 5, FinishReasons.Stop))
            .ToList();
        return new CandidateResult(candidates, 7, delay);
    }

    public async IAsyncEnumerable<CandidateDelta> StreamAsync(CandidateRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!streaming)
            throw new InvalidOperationException("This scripted generator is configured as non-streaming.");
        var result = await GenerateAsync(request, cancellationToken);
        for (var i = 0; i < result.Candidates.Count; i++)
        {
            var words = result.Candidates[i].Text.Split(' ');
            for (var w = 0; w < words.Length; w++)
                yield return new CandidateDelta(i, (w == 0 ? "" : " ") + words[w], w == words.Length - 1 ? FinishReasons.Stop : null);
        }
    }

    private static string LastMessage(CandidateRequest request) => request.Prompt ?? request.Messages![^1].Text;

    private Exit Enter()
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, now, seen) != seen)
        {
        }

        return new Exit(this);
    }

    private sealed class Exit(ScriptedGenerator owner) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref owner._running);
    }
}

/// <summary>Presents a generator as non-streaming only, to exercise the server's fallback.</summary>
internal sealed class NonStreamingGenerator(ICandidateGenerator inner) : ICandidateGenerator
{
    public ModelIdentity Model => inner.Model;

    public Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default) =>
        inner.GenerateAsync(request, cancellationToken);
}
