using System.Text.Json.Serialization;
using AgentKit.Hosting;
using AgentKit.Hosting.Evaluation;
using AgentKit.Models.OpenAICompatible;

namespace AgentKit.Distillation;

/// <summary>
/// The teacher: <c>{"kind": "atlas", "questions": …, "parallel": 2, "timeout_ms": 20000}</c> runs the atlas
/// programmatic teacher over a question file; <c>{"kind": "trajectories", "file": …}</c> uses runs recorded
/// elsewhere (for example by <c>agentkit record</c> with a large teacher model); <c>{"kind": "endpoint", "endpoint": …,
/// "model": …, "tasks": [ … ]}</c> records them here, with a teacher model served at an OpenAI-compatible endpoint,
/// through the library behind <c>agentkit record</c> (<see cref="TrajectoryRecording"/>).
/// </summary>
public sealed record TeacherRecipe
{
    /// <summary>Kind of teacher that runs the atlas programmatic teacher.</summary>
    public const string Atlas = "atlas";

    /// <summary>Kind of teacher that reads recorded trajectories.</summary>
    public const string Trajectories = "trajectories";

    /// <summary>Kind of teacher that records trajectories from a model at an OpenAI-compatible endpoint.</summary>
    public const string Endpoint = "endpoint";

    /// <summary><c>atlas</c>, <c>trajectories</c> or <c>endpoint</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Question JSONL (atlas only).</summary>
    public string? Questions { get; init; }

    /// <summary>Questions run at once, one sandbox worker each (atlas only; default 2). Does not change the result.</summary>
    public int? Parallel { get; init; }

    /// <summary>Wall-clock limit per code snippet in milliseconds (atlas: default 20000; endpoint: default 5000, as <c>agentkit record</c>).</summary>
    public int? TimeoutMs { get; init; }

    /// <summary>Trajectory JSONL (trajectories only).</summary>
    public string? File { get; init; }

    /// <summary>Base URL of the teacher's OpenAI-compatible endpoint, e.g. <c>http://127.0.0.1:8000/v1</c> (endpoint only).</summary>
    [JsonPropertyName("endpoint")]
    public string? EndpointUrl { get; init; }

    /// <summary>The model name requested from the endpoint (endpoint only).</summary>
    public string? Model { get; init; }

    /// <summary>Task files, recorded in this order: JSONL <c>{"id","question","answer"}</c> or the paper's JSON <c>{"examples":[…]}</c> (endpoint only).</summary>
    public IReadOnlyList<string>? Tasks { get; init; }

    /// <summary>Force the first paragraph of the teacher's chain of thought as the start of the first step (endpoint only; default false).</summary>
    public bool? FirstThought { get; init; }

    /// <summary>Sampling temperature (endpoint only; default: the agent's).</summary>
    public float? Temperature { get; init; }

    /// <summary>Sampling seed (endpoint only; default: the agent's).</summary>
    public int? Seed { get; init; }

    /// <summary>Action step limit (endpoint only; default: the agent's).</summary>
    public int? MaxSteps { get; init; }

    /// <summary>Tasks run at once (endpoint only; default 1). Does not change which runs are kept, only their order in the file.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Retries of a request that got 429/5xx or timed out (endpoint only; default 3, as <c>agentkit record</c>).</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Most requests started per minute, retries included (endpoint only; default: no limit).</summary>
    public double? RequestsPerMinute { get; init; }

    /// <summary>Do not constrain actions with the action grammar, for servers without GBNF support (endpoint only; default false).</summary>
    public bool? NoGrammar { get; init; }

    /// <summary>Keep only runs whose answer matches the task's reference (endpoint only; default false).</summary>
    public bool? FilterCorrect { get; init; }

    /// <summary>Drop runs in which an action did not parse (endpoint only; default false).</summary>
    public bool? FilterParseErrors { get; init; }

    /// <summary>Questions run at once.</summary>
    public int ResolvedParallel => Parallel ?? 2;

    /// <summary>Per-snippet limit in milliseconds.</summary>
    public int ResolvedTimeoutMs => TimeoutMs ?? (Kind == Endpoint ? 5_000 : 20_000);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        switch (Kind)
        {
            case Atlas:
                if (string.IsNullOrWhiteSpace(Questions))
                    throw new ArgumentException("teacher.questions is required for kind \"atlas\" (a question JSONL written by 'agentkit atlas questions').");
                if (File is not null)
                    throw new ArgumentException("teacher.file belongs to kind \"trajectories\"; kind \"atlas\" reads teacher.questions.");
                RefuseEndpointKeys(Atlas);
                if (ResolvedParallel is < 1 or > 64)
                    throw new ArgumentException($"teacher.parallel must be between 1 and 64, got {ResolvedParallel}.");
                CheckTimeout();
                break;
            case Trajectories:
                if (string.IsNullOrWhiteSpace(File))
                    throw new ArgumentException("teacher.file is required for kind \"trajectories\" (a trajectory JSONL, e.g. from 'agentkit record').");
                if (Questions is not null || Parallel is not null || TimeoutMs is not null)
                    throw new ArgumentException("teacher.questions, teacher.parallel and teacher.timeout_ms belong to kind \"atlas\"; kind \"trajectories\" reads teacher.file only.");
                RefuseEndpointKeys(Trajectories);
                break;
            case Endpoint:
                ValidateEndpoint();
                break;
            default:
                throw new ArgumentException($"teacher.kind must be \"{Atlas}\", \"{Trajectories}\" or \"{Endpoint}\", got \"{Kind}\".");
        }
    }

    /// <summary>The agent-host settings the endpoint teacher records with: the agent of <paramref name="agentFolder"/>, its model replaced by the endpoint's.</summary>
    public AgentHostSettings ToHostSettings(string agentFolder) => new AgentHostSettings
    {
        AgentFolder = agentFolder, Temperature = Temperature, Seed = Seed, MaxSteps = MaxSteps, NoGrammar = NoGrammar ?? false,
        TimeoutMs = ResolvedTimeoutMs, EndpointRetry = new EndpointRetryOptions { MaxRetries = MaxRetries ?? 3, RequestsPerMinute = RequestsPerMinute },
    }.WithTeacher(EndpointUrl!, Model!);

    /// <summary>The recording options of the endpoint teacher, writing to <paramref name="output"/>.</summary>
    public RecordOptions ToRecordOptions(string output) => new RecordOptions
    {
        Out = output, FirstThought = FirstThought ?? false, FilterCorrect = FilterCorrect ?? false, FilterParseErrors = FilterParseErrors ?? false,
        Concurrency = Concurrency ?? 1,
    }.Validate();

    private void ValidateEndpoint()
    {
        if (Questions is not null || Parallel is not null || File is not null)
            throw new ArgumentException("teacher.questions, teacher.parallel and teacher.file belong to kinds \"atlas\" and \"trajectories\"; kind \"endpoint\" reads teacher.tasks.");
        if (string.IsNullOrWhiteSpace(EndpointUrl) || !Uri.TryCreate(EndpointUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"teacher.endpoint must be an http(s) URL for kind \"endpoint\" (e.g. http://127.0.0.1:8000/v1), got \"{EndpointUrl}\".");
        if (string.IsNullOrWhiteSpace(Model))
            throw new ArgumentException("teacher.model is required for kind \"endpoint\": the model name the endpoint serves.");
        if (Tasks is null || Tasks.Count == 0)
            throw new ArgumentException("teacher.tasks is required for kind \"endpoint\": a list of one or more task files.");
        if (Tasks.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("teacher.tasks must list file paths; one is empty.");
        if (Tasks.Distinct(StringComparer.Ordinal).Count() != Tasks.Count)
            throw new ArgumentException("teacher.tasks lists a file twice.");
        if (Concurrency is < 1 or > 64)
            throw new ArgumentException($"teacher.concurrency must be between 1 and 64, got {Concurrency}.");
        if (MaxRetries is < 0 or > 20)
            throw new ArgumentException($"teacher.max_retries must be between 0 and 20, got {MaxRetries}.");
        if (RequestsPerMinute is { } rpm && !(rpm > 0))
            throw new ArgumentException($"teacher.requests_per_minute must be > 0, got {rpm}.");
        if (Temperature is { } t && !(t >= 0))
            throw new ArgumentException($"teacher.temperature must be >= 0, got {t}.");
        if (MaxSteps is < 1 or > 100)
            throw new ArgumentException($"teacher.max_steps must be between 1 and 100, got {MaxSteps}.");
        CheckTimeout();
    }

    private void CheckTimeout()
    {
        if (ResolvedTimeoutMs is < 100 or > 600_000)
            throw new ArgumentException($"teacher.timeout_ms must be between 100 and 600000, got {ResolvedTimeoutMs}.");
    }

    private void RefuseEndpointKeys(string kind)
    {
        var given = new (string Key, bool Set)[]
        {
            ("endpoint", EndpointUrl is not null), ("model", Model is not null), ("tasks", Tasks is not null), ("first_thought", FirstThought is not null),
            ("temperature", Temperature is not null), ("seed", Seed is not null), ("max_steps", MaxSteps is not null), ("concurrency", Concurrency is not null),
            ("max_retries", MaxRetries is not null), ("requests_per_minute", RequestsPerMinute is not null), ("no_grammar", NoGrammar is not null),
            ("filter_correct", FilterCorrect is not null), ("filter_parse_errors", FilterParseErrors is not null),
        }.FirstOrDefault(k => k.Set);
        if (given.Key is not null)
            throw new ArgumentException($"teacher.{given.Key} belongs to kind \"{Endpoint}\"; kind \"{kind}\" does not record from an endpoint.");
    }
}
