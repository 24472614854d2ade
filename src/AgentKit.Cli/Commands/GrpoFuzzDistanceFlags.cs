using System.CommandLine;
using AgentKit.Fuzzing;
using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Cli.Commands;

/// <summary>
/// The flags of <c>train grpo --reward fuzz-distance</c> (<c>--questions --target --harness --expect --first-stage
/// --fuzz-timeout</c>), their checks, and the reward they open: with it the tasks are the questions, about the target the
/// reward runs inputs in; without it the flags are refused. <c>fuzz hit-rate</c> shares the flags (with its own
/// <paramref name="context"/>) to score a model's answers the same way.
/// </summary>
/// <param name="context">Start of every description (says which mode the flag belongs to).</param>
internal sealed class GrpoFuzzDistanceFlags(string context = "With --reward fuzz-distance: ")
{
    private readonly Option<string?> _questions = new("--questions") { Description = context + "frontier questions (JSONL from fuzz questions or fuzz hindsight --questions-out), one task each." };
    private readonly Option<string?> _target = new("--target") { Description = context + "the questions' target, NuGet Id@Version or assembly path(s) separated by ','." };
    private readonly Option<string?> _harness = new("--harness") { Description = context + $"built-in adapter ({string.Join(", ", FuzzHarness.BuiltInNames)}) or Namespace.Type.Method." };
    private readonly Option<string?> _expected = new("--expect") { Description = context + "with a user harness, exception types that are normal rejections, comma-separated." };
    private readonly Option<string?> _firstStage = new("--first-stage") { Description = context + "(part of) the full name of the method an input must enter to pass the first stage; others score 0." };
    private readonly Option<int> _timeout = new("--fuzz-timeout") { Description = context + "milliseconds a candidate input may run before it is a hang.", DefaultValueFactory = _ => 1000 };

    /// <summary>Every flag, to add to the command.</summary>
    public IEnumerable<Option> All => [_questions, _target, _harness, _expected, _firstStage, _timeout];

    /// <summary>
    /// The task file: <c>--questions</c> with <paramref name="fuzz"/> (which then refuses <c>--tasks</c> and
    /// <c>--agent</c> and needs <c>--target</c> and <c>--harness</c>), otherwise <c>--tasks</c> (and these flags are refused).
    /// </summary>
    public string TasksPath(ParseResult pr, bool fuzz, Option<string?> tasks, Option<string?> agent)
    {
        if (!fuzz)
        {
            if (new[] { _questions, _target, _harness, _expected, _firstStage }.FirstOrDefault(o => pr.GetValue(o) is not null) is { } given)
                throw new CliUsageException($"{given.Name} is only used with --reward {FuzzDistanceGrpoReward.Name}.");
            return pr.GetValue(tasks) ?? throw new CliUsageException("--tasks is required (a task file; or --questions with --reward fuzz-distance).");
        }
        const string Needs = "--reward fuzz-distance needs";
        if (pr.GetValue(tasks) is not null)
            throw new CliUsageException("--tasks: with --reward fuzz-distance the tasks are the questions of --questions; drop --tasks.");
        if (pr.GetValue(agent) is not null)
            throw new CliUsageException("--agent: --reward fuzz-distance scores plain completions, not agent runs.");
        if (pr.GetValue(_target) is null)
            throw new CliUsageException($"{Needs} --target (NuGet Id@Version or assembly paths): the target the questions are about.");
        if (pr.GetValue(_harness) is null)
            throw new CliUsageException($"{Needs} --harness (the harness the questions' campaign ran).");
        return pr.GetValue(_questions)
               ?? throw new CliUsageException($"{Needs} --questions q.jsonl (from agentkit fuzz questions or fuzz hindsight --questions-out).");
    }

    /// <summary>The harness (null without <paramref name="fuzz"/>), after the cheap checks of the other flags.</summary>
    public FuzzHarness? Harness(ParseResult pr, bool fuzz)
    {
        var harness = fuzz ? CliUsageException.Check(() => FuzzHarness.Parse(pr.GetValue(_harness)!, pr.GetValue(_expected))) : null;
        if (pr.GetValue(_timeout) < 1)
            throw new CliUsageException($"--fuzz-timeout must be at least 1 ms, got {pr.GetValue(_timeout)}.");
        return harness;
    }

    /// <summary>
    /// The reward over the instrumented target. Called once the cheap checks passed: a bad flag should not wait for a
    /// download and instrumentation.
    /// </summary>
    public async Task<FuzzDistanceGrpoReward> OpenRewardAsync(ParseResult pr, string questionsPath, FuzzHarness harness, string outputDirectory,
        CancellationToken ct)
    {
        var resolved = await FuzzCommand.ResolveTargetAsync(pr.GetValue(_target)!, harness, ct);
        var target = AssemblyInstrumenter.Instrument(resolved.Assemblies, resolved.Dependencies, FuzzTarget.DefaultCacheDirectory);
        return FuzzDistanceGrpoReward.Open(questionsPath, target, harness, pr.GetValue(_firstStage), TimeSpan.FromMilliseconds(pr.GetValue(_timeout)),
            outputDirectory);
    }

    /// <summary>
    /// For a command that always scores answers (<c>fuzz hit-rate</c>): the questions file and the harness, after checking
    /// that <c>--questions</c>, <c>--target</c> and <c>--harness</c> are given.
    /// </summary>
    public (string Questions, FuzzHarness Harness) Required(ParseResult pr)
    {
        foreach (var (option, what) in new[] { (_questions, "q.jsonl (from fuzz questions or fuzz hindsight --holdout-out)"), (_target, "ID@VERSION or assembly paths"), (_harness, "the harness the questions' campaign ran") })
            if (pr.GetValue(option) is null)
                throw new CliUsageException($"{option.Name} is required: {what}.");
        return (pr.GetValue(_questions)!, Harness(pr, fuzz: true)!);
    }

    /// <summary>
    /// A scorer over the instrumented target for <paramref name="questions"/>; findings are counted, and written to
    /// <paramref name="findingsDirectory"/> when one is given.
    /// </summary>
    public async Task<Fuzzing.Guidance.FrontierAnswerScorer> OpenScorerAsync(ParseResult pr, IReadOnlyList<Fuzzing.Guidance.FrontierQuestion> questions,
        FuzzHarness harness, CancellationToken ct, string? findingsDirectory = null)
    {
        var resolved = await FuzzCommand.ResolveTargetAsync(pr.GetValue(_target)!, harness, ct);
        var target = AssemblyInstrumenter.Instrument(resolved.Assemblies, resolved.Dependencies, FuzzTarget.DefaultCacheDirectory);
        return FuzzDistanceGrpoReward.Scorer(target, harness, questions, new Fuzzing.Guidance.FrontierAnswerScorerOptions
        {
            ExecTimeout = TimeSpan.FromMilliseconds(pr.GetValue(_timeout)), FirstStageMethod = pr.GetValue(_firstStage), FindingsDirectory = findingsDirectory,
        });
    }
}
