namespace AgentKit.Fuzzing.LanguageModel;

/// <summary>The running counts behind <see cref="LmReport"/>; written by the LM round and the campaign's workers, so every change locks.</summary>
internal sealed class LmTally
{
    private readonly Lock _gate = new();
    private readonly SortedSet<int> _opened = [];
    private int _rounds, _generated, _questions, _completions, _tried, _added, _errors, _unusable, _repeated, _retries;
    private double _modelSeconds;
    private double? _firstOpened;
    private string? _lastError;

    public void Round() { lock (_gate) _rounds++; }

    /// <summary>One model call: a frontier question, or (<paramref name="unprompted"/>) a request for an input with no question.</summary>
    public void Asked(int completions, TimeSpan took, bool unprompted = false)
    {
        lock (_gate)
        {
            if (!unprompted)
                _questions++;
            _completions += completions;
            _modelSeconds += took.TotalSeconds;
        }
    }

    /// <summary>New inputs the model wrote unprompted (<see cref="LmSeedingOptions.GeneratedInputs"/>).</summary>
    public void Generated(int fresh) { lock (_gate) _generated += fresh; }

    public void Error(string message, TimeSpan took)
    {
        lock (_gate)
        {
            _errors++;
            _modelSeconds += took.TotalSeconds;
            _lastError = message;
        }
    }

    public void Unusable() { lock (_gate) _unusable++; }

    public void Repeated() { lock (_gate) _repeated++; }

    public void Retried() { lock (_gate) _retries++; }

    public void Tried(bool addedCoverage)
    {
        lock (_gate)
        {
            _tried++;
            if (addedCoverage)
                _added++;
        }
    }

    public void Opened(IEnumerable<int> targets, double atSeconds)
    {
        lock (_gate)
        {
            var before = _opened.Count;
            _opened.UnionWith(targets);
            if (_opened.Count > before)
                _firstOpened ??= Math.Round(atSeconds, 2);
        }
    }

    public LmReport Report(string model, double campaignSeconds)
    {
        lock (_gate)
            return new LmReport
            {
                Model = model, Rounds = _rounds, GeneratedInputs = _generated, Questions = _questions, Completions = _completions, InputsTried = _tried,
                InputsAddedCoverage = _added, BranchesOpened = _opened.ToList(), FirstOpenedSeconds = _firstOpened, ModelSeconds = Math.Round(_modelSeconds, 3),
                ModelShare = Math.Round(_modelSeconds / Math.Max(campaignSeconds, 1e-9), 4), ModelErrors = _errors,
                UnusableAnswers = _unusable, RepeatedAnswers = _repeated, Retries = _retries, LastError = _lastError,
            };
    }
}
