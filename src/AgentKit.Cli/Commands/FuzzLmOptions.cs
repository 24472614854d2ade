using System.CommandLine;
using AgentKit.Abstractions.Models;
using AgentKit.Cli.Hosting;
using AgentKit.Fuzzing.Guidance;
using AgentKit.Fuzzing.LanguageModel;
using AgentKit.Training.Generation;

namespace AgentKit.Cli.Commands;

/// <summary>
/// The <c>agentkit fuzz</c> flags of model-written inputs (<c>--lm MODEL | --lm-endpoint URL [--lm-model NAME]</c>,
/// <c>--lm-every</c>, <c>--lm-questions</c>, <c>--lm-tokens</c>, <c>--lm-max-tokens</c>, <c>--lm-candidates</c>, <c>--lm-retries</c>, <c>--lm-opening</c>, <c>--lm-generate</c>, <c>--lm-temperature</c>): checked before any work, then turned into a generator
/// (<see cref="ModelBackend.Open"/>) and <see cref="LmSeedingOptions"/>.
/// </summary>
internal sealed class FuzzLmOptions
{
    private readonly Option<string?> _model = new("--lm") { Description = "A model that writes inputs for the branches the campaign has not reached: a GGUF file, or a training checkpoint directory (run as its GGUF export, cached)." };
    private readonly Option<string?> _endpoint = new("--lm-endpoint") { Description = "Base URL of an OpenAI-compatible server whose model writes inputs (instead of --lm), e.g. http://127.0.0.1:8080/v1." };
    private readonly Option<string?> _modelName = new("--lm-model") { Description = "Model name to request from --lm-endpoint.", };
    private readonly Option<int> _every = new("--lm-every") { Description = "Seconds between two rounds of questions to the model.", DefaultValueFactory = _ => 30 };
    private readonly Option<int> _questions = new("--lm-questions") { Description = "Frontier questions per round (1-64).", DefaultValueFactory = _ => 4 };
    private readonly Option<int> _tokens = new("--lm-tokens") { Description = "Budget of one question's code slice in tokens (about 4 characters each), and of its seed input (4 bytes a token, when an input that close fits); lower it for a model with a small context.", DefaultValueFactory = _ => 600 };
    private readonly Option<int> _maxTokens = new("--lm-max-tokens") { Description = "Most tokens the model writes per answer.", DefaultValueFactory = _ => 256 };
    private readonly Option<int> _candidates = new("--lm-candidates") { Description = "Answers the model writes per question (1-64).", DefaultValueFactory = _ => 4 };
    private readonly Option<int> _retries = new("--lm-retries") { Description = "Ask a question again, up to this many times and each time hotter, when every answer repeats an input already run (0-8).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _opening = new("--lm-opening") { Description = "Questions of an opening round asked as soon as the seeds have run, so the model's inputs reach the corpus as seeds do (0-256; 0: the first round comes after --lm-every).", DefaultValueFactory = _ => 0 };
    private readonly Option<int> _generate = new("--lm-generate") { Description = "Inputs the model writes unprompted when the campaign starts (no question: the input language as its documents taught it), run beside the seeds (0-4096).", DefaultValueFactory = _ => 0 };
    private readonly Option<float> _temperature = new("--lm-temperature") { Description = "Sampling temperature of the model's answers (0-2).", DefaultValueFactory = _ => 0.8f };

    /// <summary>The flags, to add to the command.</summary>
    public IEnumerable<Option> All => [_model, _endpoint, _modelName, _every, _questions, _tokens, _maxTokens, _candidates, _retries, _opening, _generate, _temperature];

    /// <summary>The model flags alone (<c>--lm</c>, <c>--lm-endpoint</c>, <c>--lm-model</c>), for commands that ask a model outside a campaign.</summary>
    public IEnumerable<Option> ModelFlags => [_model, _endpoint, _modelName];

    /// <summary>True when <c>--lm</c> or <c>--lm-endpoint</c> was given.</summary>
    public bool Given(ParseResult pr) => pr.GetValue(_model) is not null || pr.GetValue(_endpoint) is not null;

    /// <summary>
    /// The backend the flags name, or null without <c>--lm</c>/<c>--lm-endpoint</c>; throws <see cref="CliUsageException"/>
    /// naming the flag for a bad combination, a missing model or an out-of-range number.
    /// </summary>
    public ModelBackendOptions? Backend(ParseResult pr)
    {
        var model = pr.GetValue(_model);
        var endpoint = pr.GetValue(_endpoint);
        if (model is null && endpoint is null)
        {
            foreach (var option in new Option[] { _modelName, _every, _questions, _tokens, _maxTokens, _candidates, _retries, _opening, _generate, _temperature })
                if (pr.GetResult(option) is { Implicit: false })
                    throw new CliUsageException($"{option.Name} needs --lm MODEL or --lm-endpoint URL.");
            return null;
        }
        if (model is not null && endpoint is not null)
            throw new CliUsageException("give one of --lm MODEL or --lm-endpoint URL, not both.");
        if (pr.GetValue(_every) < 1)
            throw new CliUsageException($"--lm-every must be at least 1 second, got {pr.GetValue(_every)}.");
        var questions = pr.GetValue(_questions);
        if (questions is < 1 or > 64)
            throw new CliUsageException($"--lm-questions must be between 1 and 64, got {questions}.");
        if (pr.GetValue(_tokens) < 50)
            throw new CliUsageException($"--lm-tokens must be at least 50, got {pr.GetValue(_tokens)}.");
        if (pr.GetValue(_maxTokens) is < 1 or > 32768)
            throw new CliUsageException($"--lm-max-tokens must be between 1 and 32768, got {pr.GetValue(_maxTokens)}.");
        if (pr.GetValue(_candidates) is < 1 or > 64)
            throw new CliUsageException($"--lm-candidates must be between 1 and 64, got {pr.GetValue(_candidates)}.");
        if (pr.GetValue(_retries) is < 0 or > 8)
            throw new CliUsageException($"--lm-retries must be between 0 and 8, got {pr.GetValue(_retries)}.");
        if (pr.GetValue(_opening) is < 0 or > 256)
            throw new CliUsageException($"--lm-opening must be between 0 and 256, got {pr.GetValue(_opening)}.");
        if (pr.GetValue(_generate) is < 0 or > 4096)
            throw new CliUsageException($"--lm-generate must be between 0 and 4096, got {pr.GetValue(_generate)}.");
        if (pr.GetValue(_temperature) is < 0 or > 2 or float.NaN)
            throw new CliUsageException($"--lm-temperature must be between 0 and 2, got {pr.GetValue(_temperature)}.");
        return Model(pr);
    }

    /// <summary>
    /// The backend of the model flags alone (<see cref="ModelFlags"/>), or null without <c>--lm</c>/<c>--lm-endpoint</c>
    /// (then <c>--lm-model</c> is refused); usage errors as <see cref="Backend"/>.
    /// </summary>
    public ModelBackendOptions? Model(ParseResult pr)
    {
        var model = pr.GetValue(_model);
        var endpoint = pr.GetValue(_endpoint);
        if (model is null && endpoint is null)
        {
            if (pr.GetValue(_modelName) is not null)
                throw new CliUsageException("--lm-model needs --lm-endpoint URL.");
            return null;
        }
        if (model is not null && endpoint is not null)
            throw new CliUsageException("give one of --lm MODEL or --lm-endpoint URL, not both.");
        if (model is not null && !File.Exists(model) && !Directory.Exists(model))
            throw new CliUsageException($"--lm: model file not found: {model}");
        if (endpoint is not null && string.IsNullOrWhiteSpace(pr.GetValue(_modelName)))
            throw new CliUsageException("--lm-endpoint needs --lm-model (the model to request from the server).");
        if (model is not null && pr.GetValue(_modelName) is not null)
            throw new CliUsageException("--lm-model only applies to --lm-endpoint; a --lm file is named by its path.");
        return CliUsageException.Check(() => new ModelBackendOptions
        {
            // A checkpoint runs as its cached GGUF export: LLamaSharp writes the same inputs several times faster than
            // TorchSharp, and the model's time is the campaign's.
            ModelPath = ResolveCheckpoint(model), Endpoint = endpoint, ModelName = pr.GetValue(_modelName),
            // Never OPENAI_API_KEY, so a key is not sent to a server by accident.
            ApiKey = Environment.GetEnvironmentVariable("AGENTKIT_API_KEY") is { Length: > 0 } key ? key : null,
        }.Validate(), message => Rename(message, endpoint is null ? "--lm" : "--lm-endpoint"));
    }

    private static string? ResolveCheckpoint(string? model)
    {
        try
        {
            return CheckpointModel.Resolve(model);
        }
        catch (CliUsageException ex)
        {
            throw new CliUsageException(Rename(ex.Message, "--lm"));
        }
        catch (InvalidDataException ex)
        {
            throw new CliUsageException($"--lm: {ex.Message}");
        }
    }

    /// <summary>Opens the model; a file or checkpoint that cannot be loaded is a usage error naming <c>--lm</c>.</summary>
    public static ICandidateGenerator Open(ModelBackendOptions backend)
    {
        try
        {
            return ModelBackend.Open(backend);
        }
        catch (InvalidDataException ex)
        {
            throw new CliUsageException($"--lm: {ex.Message}");
        }
    }

    /// <summary>The seeding settings for <paramref name="generator"/>.</summary>
    public LmSeedingOptions Seeding(ParseResult pr, ICandidateGenerator generator) => new()
    {
        // A file's name, not generator.Model: that would hash the whole GGUF just to print its name.
        ModelName = pr.GetValue(_model) is { } path ? Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(path)) : pr.GetValue(_modelName),
        Generator = generator, Interval = TimeSpan.FromSeconds(pr.GetValue(_every)), Questions = pr.GetValue(_questions),
        MaxTokens = pr.GetValue(_maxTokens), Candidates = pr.GetValue(_candidates), RepeatRetries = pr.GetValue(_retries),
        OpeningQuestions = pr.GetValue(_opening), GeneratedInputs = pr.GetValue(_generate), Temperature = pr.GetValue(_temperature),
        QuestionOptions = new FrontierQuestionOptions { TokenBudget = pr.GetValue(_tokens), SeedBudget = 4 * pr.GetValue(_tokens) },
    };

    // ModelBackendOptions names the generate/serve flags; here they are spelled --lm, --lm-endpoint, --lm-model.
    // A message that names no flag (a directory that is not a checkpoint) is prefixed with the one the user gave.
    private static string Rename(string message, string flag)
    {
        var renamed = message.Replace("--model-name", "--lm-model", StringComparison.Ordinal)
            .Replace("--endpoint", "--lm-endpoint", StringComparison.Ordinal).Replace("--model", "--lm", StringComparison.Ordinal);
        return renamed.Contains("--lm", StringComparison.Ordinal) ? renamed : $"{flag}: {renamed}";
    }
}
