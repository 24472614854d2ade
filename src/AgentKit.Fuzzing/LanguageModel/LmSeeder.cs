using System.Diagnostics;
using AgentKit.Abstractions.Models;
using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Guidance;
using Microsoft.Extensions.AI;

namespace AgentKit.Fuzzing.LanguageModel;

/// <summary>
/// A campaign's model-written inputs (builtin engine or afl, through <see cref="ILmHost"/>): every <see cref="LmSeedingOptions.Interval"/> (or when the mutator
/// stalls) one round builds frontier questions for the current corpus, asks the model with
/// <see cref="FrontierPrompt.Messages"/>, reads inputs with <see cref="FrontierPrompt.ExtractInput"/>, hands them to the
/// campaign (<see cref="ILmHost.Offer"/>) and, once they ran, checks on the block-mode twin which frontier
/// targets the ones that added coverage opened. With <see cref="LmSeedingOptions.GeneratedInputs"/> the model first
/// writes inputs unprompted (<see cref="FrontierPrompt.GenerationMessages"/>), handed over beside the seeds. A model that
/// throws, hangs or writes junk is counted, never fatal.
/// </summary>
internal sealed class LmSeeder
{
    private readonly LmSeedingOptions _options;
    private readonly ILmHost _host;
    private readonly string _manifestPath;
    private readonly FuzzCampaignOptions _campaign;
    private readonly TimeProvider _time;
    private FrontierQuestioner? _questioner;
    private HashSet<int> _frontier = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private bool _broken;
    private bool _openingDone;
    private int _round;

    public LmSeeder(LmSeedingOptions options, ILmHost host, string manifestPath, FuzzCampaignOptions campaign, LmTally? tally = null)
    {
        Tally = tally ?? new LmTally();
        _options = options;
        _host = host;
        _manifestPath = manifestPath;
        _campaign = campaign;
        _time = campaign.TimeProvider;
    }

    public LmTally Tally { get; }

    /// <summary>Runs rounds until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        var last = _time.GetTimestamp();
        var execsAtLast = 0L;
        try
        {
            // The twin, its worker and the decompiler get ready while the workers run the seeds, not in the first round.
            Prepare();
            if (_options.GeneratedInputs > 0 && !_broken)
                await GenerateAsync(stop).ConfigureAwait(false);
            while (!stop.IsCancellationRequested && !_broken)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, stop).ConfigureAwait(false);
                // The opening round waits for the seeds, then is tried every 50 ms until a corpus is there to look at.
                var opening = _options.OpeningQuestions > 0 && !_openingDone;
                var stalled = _options.StallExecs is { } stall && _host.Execs - Math.Max(_host.ExecsAtLastGain, execsAtLast) >= stall;
                if (opening ? _host.SeedsPending : !stalled && _time.GetElapsedTime(last) < _options.Interval)
                    continue;
                var looked = await RoundAsync(opening ? _options.OpeningQuestions : _options.Questions, stop).ConfigureAwait(false);
                // Once only, even when that corpus had no frontier: a target the seeds cover whole must not be polled.
                _openingDone |= opening && looked;
                last = _time.GetTimestamp();
                execsAtLast = _host.Execs;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Broken(ex); // nothing the model side does may end the campaign
        }
        try
        {
            // Inputs of the last round that ran after it stopped waiting still count.
            if (!_broken)
                CheckOpened();
        }
        catch (Exception ex)
        {
            Broken(ex);
        }
        finally
        {
            _questioner?.Dispose();
        }
    }

    /// <summary>One round of <paramref name="count"/> questions; false when the corpus was still empty (nothing looked at).</summary>
    private async Task<bool> RoundAsync(int count, CancellationToken stop)
    {
        List<FrontierQuestion> questions;
        var corpus = _host.CorpusSnapshot();
        try
        {
            (questions, _frontier) = _questioner!.Next(corpus, count, stop);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Broken(ex);
            return true;
        }
        if (questions.Count == 0)
            return corpus.Count > 0; // no frontier yet (the seeds are still running), or none left: not a round
        // Building questions is not cancellable; a round whose campaign ended meanwhile asks, offers and counts nothing
        // (the report may already be out).
        if (stop.IsCancellationRequested)
            return true;
        // The corpus as it ran and as the questions showed it: a model that echoes a seed's text form wrote nothing new.
        foreach (var input in corpus)
        {
            _seen.Add(CampaignDirectory.Hash(input));
            if (_questioner!.Shown(input) is var shown && !ReferenceEquals(shown, input))
                _seen.Add(CampaignDirectory.Hash(shown));
        }
        var inputs = new List<byte[]>();
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stop);
        budget.CancelAfter(_options.RoundBudget);
        for (var i = 0; i < questions.Count && !budget.IsCancellationRequested; i++)
        {
            for (var attempt = 0; attempt <= _options.RepeatRetries && !budget.IsCancellationRequested; attempt++)
            {
                if (attempt > 0)
                    Tally.Retried();
                var question = questions[i];
                var answers = await AskAsync(FrontierPrompt.Messages(question), question.SeedIsBase64,
                    TemperatureOf(attempt), SeedOf(i, attempt), unprompted: false, budget.Token, stop).ConfigureAwait(false);
                var fresh = 0;
                foreach (var input in answers)
                {
                    if (_seen.Add(CampaignDirectory.Hash(input))) // the corpus, and what the model wrote before, run once
                    {
                        inputs.Add(input);
                        fresh++;
                    }
                    else
                    {
                        Tally.Repeated();
                    }
                }
                // Ask again only when the model answered and said nothing new: an error or junk is not helped by heat.
                if (fresh > 0 || answers.Count == 0)
                    break;
            }
        }
        _round++;
        _host.Offer(inputs, _questioner!);
        while (_host.LmOutstanding > 0 && !stop.IsCancellationRequested)
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, stop).ConfigureAwait(false);
        CheckOpened();
        Tally.Round();
        return true;
    }

    private void Prepare()
    {
        try
        {
            _questioner = new FrontierQuestioner(_manifestPath, _options.QuestionOptions, _campaign.MemoryLimitMb, _campaign.RunnerPath);
        }
        catch (Exception ex)
        {
            Broken(ex);
        }
    }

    /// <summary>No twin, no map, no decompiler: the campaign goes on without the model.</summary>
    private void Broken(Exception ex)
    {
        Tally.Error($"model inputs stopped: {ex.GetType().Name}: {ex.Message}", TimeSpan.Zero);
        _broken = true;
    }

    /// <summary>
    /// The opening inputs of <see cref="LmSeedingOptions.GeneratedInputs"/>: requests with no question until that many new
    /// inputs, twice that many completions, or the round budget; run as the campaign's own inputs beside the seeds.
    /// </summary>
    private async Task GenerateAsync(CancellationToken stop)
    {
        var wanted = _options.GeneratedInputs;
        var inputs = new List<byte[]>();
        var completions = 0;
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(stop);
        budget.CancelAfter(_options.RoundBudget);
        for (var request = 0; inputs.Count < wanted && completions < 2 * wanted && !budget.IsCancellationRequested; request++)
        {
            var answers = await AskAsync(FrontierPrompt.GenerationMessages(), base64: false, _options.Temperature,
                GenerationSeed(request), unprompted: true, budget.Token, stop).ConfigureAwait(false);
            completions += _options.Candidates;
            foreach (var input in answers.TakeWhile(_ => inputs.Count < wanted))
            {
                if (_seen.Add(CampaignDirectory.Hash(input)))
                    inputs.Add(input);
                else
                    Tally.Repeated();
            }
        }
        if (stop.IsCancellationRequested)
            return;
        Tally.Generated(inputs.Count);
        _host.CorpusSnapshot(); // afl's host judges what it hands afl against its last snapshot
        _host.Offer(inputs, _questioner!);
    }

    // A retry samples hotter, up to 2.0, but never colder than the campaign asked for.
    private float TemperatureOf(int attempt) =>
        Math.Max(_options.Temperature, Math.Min(2f, _options.Temperature + attempt * LmSeedingOptions.RetryTemperatureStep));

    private int? GenerationSeed(int request) => _campaign.Seed is { } seed ? GenerationSeed(seed, request, _options.Candidates) : null;

    /// <summary>
    /// The sampling seed of request <paramref name="request"/> of the unprompted inputs. Candidate i of a request samples
    /// with seed + i, so one prompt asked again steps past the seeds it used; and campaigns whose seeds differ by one must
    /// not share those runs (with an offset of the campaign seed, seeds 8, 9 and 10 had all but one sampling seed in common
    /// and kept the same 17 written inputs), so the campaign seed is spread by a multiplicative hash first.
    /// </summary>
    internal static int GenerationSeed(int campaignSeed, int request, int candidates) =>
        unchecked((int)((uint)campaignSeed * 2_654_435_761u) + request * candidates);

    private int? SeedOf(int index, int attempt) => _campaign.Seed is { } seed ? seed + _round * 1009 + index + attempt * 65_537 : null;

    /// <summary>The inputs the model writes for one request (a question, or none when <paramref name="unprompted"/>); errors and junk are counted, not thrown.</summary>
    private async Task<List<byte[]>> AskAsync(IReadOnlyList<ChatMessage> messages, bool base64, float temperature, int? seed, bool unprompted,
        CancellationToken budget, CancellationToken stop)
    {
        var request = new CandidateRequest
        {
            Messages = messages, N = _options.Candidates, Temperature = temperature, MaxTokens = _options.MaxTokens, Seed = seed,
        }.Validate();
        var clock = Stopwatch.StartNew();
        CandidateResult result;
        try
        {
            // WaitAsync: a generator that ignores its token still cannot hold the round past its budget.
            result = await _options.Generator.GenerateAsync(request, budget).WaitAsync(budget).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Tally.Asked(0, clock.Elapsed, unprompted);
            return [];
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            Tally.Error($"the model ran past the round budget of {_options.RoundBudget.TotalSeconds:F1} s", clock.Elapsed);
            return [];
        }
        catch (Exception ex)
        {
            Tally.Error($"{ex.GetType().Name}: {ex.Message}", clock.Elapsed);
            return [];
        }
        Tally.Asked(result.Candidates.Count, clock.Elapsed, unprompted);
        var inputs = new List<byte[]>();
        foreach (var completion in result.Candidates)
        {
            var input = FrontierPrompt.ExtractInput(completion.Text ?? "", base64);
            if (input.Length == 0 || input.Length > _campaign.MaxInputBytes)
                Tally.Unusable();
            else
                inputs.Add(input);
        }
        return inputs;
    }

    /// <summary>Frontier targets (as of the round's start) covered by LM inputs that added coverage.</summary>
    private void CheckOpened()
    {
        var kept = _host.TakeLmKept();
        if (_questioner is null || kept.Count == 0)
            return;
        foreach (var input in kept)
            Tally.Opened(_questioner.Blocks(input).Where(_frontier.Contains), _host.Elapsed);
    }
}
