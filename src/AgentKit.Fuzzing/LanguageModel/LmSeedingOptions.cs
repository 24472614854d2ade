using AgentKit.Abstractions.Models;
using AgentKit.Fuzzing.Guidance;

namespace AgentKit.Fuzzing.LanguageModel;

/// <summary>
/// Model-written inputs in a builtin campaign (<c>agentkit fuzz --lm</c>): how often the engine asks
/// <see cref="Generator"/> about its frontier and how much it asks. Every setting is checked when it is set.
/// </summary>
public sealed record LmSeedingOptions
{
    private readonly ICandidateGenerator _generator = null!;
    private readonly TimeSpan _interval = TimeSpan.FromSeconds(30);
    private readonly long? _stallExecs;
    private readonly int _questions = 4;
    private readonly int _openingQuestions;
    private readonly int _generatedInputs;
    private readonly int _candidates = 4;
    private readonly float _temperature = 0.8f;
    private readonly int _maxTokens = 256;
    private readonly int _repeatRetries;
    private readonly TimeSpan _roundBudget = TimeSpan.FromSeconds(120);
    private readonly FrontierQuestionOptions _questionOptions = new() { TokenBudget = 600, SeedBudget = 2400 };

    /// <summary>The model that writes inputs (a GGUF, an endpoint, a checkpoint: the caller opens and disposes it).</summary>
    public required ICandidateGenerator Generator { get => _generator; init => _generator = value ?? throw new ArgumentNullException(nameof(Generator)); }

    /// <summary>The model's name in the report; default <see cref="ModelIdentity.Name"/> of <see cref="Generator"/> (which hashes a GGUF file to build).</summary>
    public string? ModelName { get; init; }

    /// <summary>Time from the end of one round to the start of the next (the first starts this long after the campaign). Default 30 s; at least 100 ms.</summary>
    public TimeSpan Interval { get => _interval; init => _interval = AtLeast(value, TimeSpan.FromMilliseconds(100)); }

    /// <summary>
    /// Also start a round early once this many execs have run since the last new coverage (and since the last round):
    /// the mutator is stuck. Null (default): by <see cref="Interval"/> only.
    /// </summary>
    public long? StallExecs
    {
        get => _stallExecs;
        init => _stallExecs = value is < 1 ? throw new ArgumentOutOfRangeException(nameof(StallExecs), value, "StallExecs must be at least 1 (or null).") : value;
    }

    /// <summary>Frontier questions asked per round (1-64, default 4); branches asked about least often go first.</summary>
    public int Questions { get => _questions; init => _questions = Between(value, 1, 64); }

    /// <summary>
    /// Questions of an opening round, asked as soon as the seeds have run (the campaign has a frontier) instead of a
    /// first ordinary round after <see cref="Interval"/> (0-256; default 0: no opening round). The model's inputs then
    /// reach the corpus as seeds do, while mutation has the whole campaign to build on them; later rounds ask
    /// <see cref="Questions"/> each, <see cref="Interval"/> apart.
    /// </summary>
    public int OpeningQuestions { get => _openingQuestions; init => _openingQuestions = Between(value, 0, 256); }

    /// <summary>
    /// Inputs the model writes when the campaign starts, asked no question: the prompt is <see cref="FrontierPrompt.System"/>
    /// alone, the way the documents and corpus warm-start stages of <c>fuzz hindsight</c> train a writer (the input
    /// language, unconditioned; Fuzz4All's generation mode). They run beside the seeds, so mutation has the whole
    /// campaign to build on them (0-4096; default 0: none). A model that repeats itself is asked at most twice as many
    /// completions as this, within <see cref="RoundBudget"/>.
    /// </summary>
    public int GeneratedInputs { get => _generatedInputs; init => _generatedInputs = Between(value, 0, 4096); }

    /// <summary>Completions sampled per question (1-64, <see cref="CandidateRequest.N"/>; default 4).</summary>
    public int Candidates { get => _candidates; init => _candidates = Between(value, 1, 64); }

    /// <summary>Sampling temperature (default 0.8: several different inputs per question).</summary>
    public float Temperature
    {
        get => _temperature;
        init => _temperature = value >= 0 && !float.IsNaN(value) ? value : throw new ArgumentOutOfRangeException(nameof(Temperature), value, "Temperature must be >= 0.");
    }

    /// <summary>Tokens generated per completion at most (default 256).</summary>
    public int MaxTokens { get => _maxTokens; init => _maxTokens = Between(value, 1, 32768); }

    /// <summary>
    /// When none of a question's completions is a new input (each repeats the corpus or what the model wrote before),
    /// ask the question again, up to this many times, each time <see cref="RetryTemperatureStep"/> hotter (at most 2.0)
    /// and with another seed (0-8; default 0: ask once). A small writer answers many questions with the same few short
    /// inputs, which the campaign already ran.
    /// </summary>
    public int RepeatRetries { get => _repeatRetries; init => _repeatRetries = Between(value, 0, 8); }

    /// <summary>How much hotter each retry of <see cref="RepeatRetries"/> samples.</summary>
    public const float RetryTemperatureStep = 0.3f;

    /// <summary>Model time one round may take (default 120 s); a round past it stops asking, and the call in flight counts as a model error.</summary>
    public TimeSpan RoundBudget { get => _roundBudget; init => _roundBudget = AtLeast(value, TimeSpan.FromMilliseconds(100)); }

    /// <summary>How questions are built (slice token budget, callers, timeout of a corpus input on the block-mode twin). Default: 600-token slices, seeds of at most 2 400 bytes when one that close fits.</summary>
    public FrontierQuestionOptions QuestionOptions { get => _questionOptions; init => _questionOptions = value ?? throw new ArgumentNullException(nameof(QuestionOptions)); }

    private static int Between(int value, int min, int max, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, max, name);
        return value;
    }

    private static TimeSpan AtLeast(TimeSpan value, TimeSpan min, [System.Runtime.CompilerServices.CallerMemberName] string name = "")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min, name);
        return value;
    }
}
