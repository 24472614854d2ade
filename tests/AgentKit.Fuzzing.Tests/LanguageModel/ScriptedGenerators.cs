using System.Globalization;
using System.Text.RegularExpressions;
using AgentKit.Abstractions.Models;
using AgentKit.Fuzzing.Guidance;
using Microsoft.Extensions.AI;

namespace AgentKit.Fuzzing.Tests.LanguageModel;

/// <summary>
/// A generator that answers a frontier question the way a reader of the slice would: it finds the marked condition, and
/// when that is a remainder test (<c>x % M != R</c>) rewrites the last number of the closest input to R + M, which
/// satisfies it. Nothing about the toy target is built in: modulus, remainder and seed all come from the prompt.
/// </summary>
internal sealed partial class SliceReadingGenerator : ICandidateGenerator
{
    public ModelIdentity Model { get; } = new("slice-reader", "test");

    public int Calls { get; private set; }

    /// <summary>Below this temperature the reader only echoes the closest input (a model stuck on what the campaign already ran).</summary>
    public float EchoBelow { get; init; }

    public Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default)
    {
        Calls++;
        var prompt = request.Messages![^1].Text;
        var marked = prompt.Split('\n').FirstOrDefault(l => l.Contains(CodeSlicer.Marker, StringComparison.Ordinal)) ?? "";
        var seed = SeedFence().Match(prompt).Groups[1].Value;
        var answer = seed;
        if (request.Temperature >= EchoBelow && Remainder().Match(marked) is { Success: true } condition)
        {
            var value = (long.Parse(condition.Groups[2].Value, CultureInfo.InvariantCulture) + long.Parse(condition.Groups[1].Value, CultureInfo.InvariantCulture))
                .ToString(CultureInfo.InvariantCulture);
            answer = LastNumber().IsMatch(seed) ? LastNumber().Replace(seed, value) : seed + " " + value;
        }
        var completions = Enumerable.Range(0, request.N).Select(_ => new CandidateCompletion("```\n" + answer + "\n```", 4, FinishReasons.Stop)).ToList();
        return Task.FromResult(new CandidateResult(completions, 10, TimeSpan.FromMilliseconds(1)));
    }

    [GeneratedRegex(@"%\s*(\d+)\s*[!=]=\s*(\d+)")]
    private static partial Regex Remainder();

    [GeneratedRegex(@"Closest input:\n```\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex SeedFence();

    [GeneratedRegex(@"\d+(?!.*\d)", RegexOptions.Singleline)]
    private static partial Regex LastNumber();
}

/// <summary>
/// A generator that has read a few documents of the input language and recites one per candidate, picked by the
/// candidate's sampling seed (<c>seed + index</c>, as LLamaSharp seeds its candidates); it records each request's roles.
/// </summary>
internal sealed class RecitingGenerator(IReadOnlyList<string> documents) : ICandidateGenerator
{
    public ModelIdentity Model { get; } = new("reciter", "test");

    public int Calls => Prompts.Count;

    public List<string[]> Prompts { get; } = [];

    public Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default)
    {
        Prompts.Add(request.Messages!.Select(m => m.Role.Value).ToArray());
        var seed = request.Seed ?? 0;
        var completions = Enumerable.Range(0, request.N)
            .Select(i => new CandidateCompletion("```\n" + documents[(int)((uint)(seed + i) % (uint)documents.Count)] + "\n```", 4, FinishReasons.Stop)).ToList();
        return Task.FromResult(new CandidateResult(completions, 10, TimeSpan.FromMilliseconds(1)));
    }
}

/// <summary>A generator that fails the way real ones do: it throws, or never answers, or writes junk, by turns.</summary>
internal sealed class BadGenerator(params BadGenerator.Failure[] failures) : ICandidateGenerator
{
    public enum Failure { Throw, Hang, Junk }

    private int _calls;

    public ModelIdentity Model { get; } = new("bad", "test");

    public int Calls => _calls;

    public async Task<CandidateResult> GenerateAsync(CandidateRequest request, CancellationToken cancellationToken = default)
    {
        var failure = failures[Interlocked.Increment(ref _calls) % failures.Length];
        switch (failure)
        {
            case Failure.Throw:
                throw new HttpRequestException("connection refused");
            case Failure.Hang:
                await Task.Delay(Timeout.Infinite, CancellationToken.None); // ignores its token, as a stuck server call would
                throw new InvalidOperationException("unreachable");
            default:
                // An empty answer, an empty fence, and bytes the lexer rejects.
                string[] junk = ["", "```\n```", "\u0001\u0002~~ garbage {{"];
                return new CandidateResult(junk.Select(t => new CandidateCompletion(t, 3, FinishReasons.Length)).ToList(), 10, TimeSpan.Zero);
        }
    }
}
