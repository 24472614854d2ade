using System.CommandLine;
using AgentKit.Hosting;

namespace AgentKit.Cli.Hosting;

/// <summary>
/// The options shared by the verbs that run an agent (<c>run</c>, <c>eval</c>, <c>record</c>): the agent folder
/// and overrides of its definition. Built from <see cref="CommonOptions"/> where a shared option exists.
/// </summary>
internal sealed class AgentCliOptions(string? defaultAgent = null)
{
    /// <summary>The shipped default agent, used when <c>--agent</c> is not given.</summary>
    public static readonly string DefaultAgent = Path.Combine("agents", "atlas");

    public Option<string> Agent { get; } = new("--agent") { Description = "Agent folder holding agent.json.", DefaultValueFactory = _ => defaultAgent ?? DefaultAgent };
    public Option<string?> Model { get; } = CommonOptions.Model();
    public Option<string?> Endpoint { get; } = CommonOptions.Endpoint();
    public Option<string?> ModelName { get; } = CommonOptions.ModelName();
    public Option<int?> N { get; } = new("--n") { Description = "Candidate actions per step (1-64); overrides the agent's sampling.candidates." };
    public Option<float?> Temperature { get; } = new("--temperature", "-t") { Description = "Sampling temperature; overrides the agent's." };
    public Option<int?> Seed { get; } = CommonOptions.Seed();
    public Option<int?> MaxSteps { get; } = new("--max-steps") { Description = "Action step limit; overrides the agent's max_steps." };
    public Option<bool> NoGrammar { get; } = new("--no-grammar") { Description = "Do not constrain actions with the action grammar (for endpoints without GBNF support)." };
    public Option<int> ContextSize { get; } = CommonOptions.ContextSize();
    public Option<int?> Threads { get; } = CommonOptions.Threads();
    public Option<int> GpuLayers { get; } = CommonOptions.GpuLayers();
    public Option<int> TimeoutMs { get; } = CommonOptions.TimeoutMs();
    public Option<int> MemoryMb { get; } = CommonOptions.MemoryMb();
    public Option<bool> AllowOutsidePaths { get; } = new("--allow-outside-paths")
    {
        Description = "Accept agent.json file fields (instructions_file, model.path, tool corpus/index) that lead outside the agent folder.",
    };

    /// <summary>Adds the options to <paramref name="command"/>; without <paramref name="includeCandidates"/> the verb sets N itself.</summary>
    public void AddTo(Command command, bool includeCandidates = true)
    {
        foreach (var option in (Option[])[Agent, Model, Endpoint, ModelName, N, Temperature, Seed, MaxSteps, NoGrammar, ContextSize, Threads, GpuLayers, TimeoutMs, MemoryMb, AllowOutsidePaths])
        {
            if (includeCandidates || option != N)
                command.Options.Add(option);
        }
    }

    /// <summary>Reads the values; throws <see cref="CliUsageException"/> for inconsistent ones.</summary>
    public AgentHostSettings Read(ParseResult pr)
    {
        var model = pr.GetValue(Model);
        var endpoint = pr.GetValue(Endpoint);
        var modelName = pr.GetValue(ModelName);
        if (model is not null && endpoint is not null)
            throw new CliUsageException("give either --model (a GGUF file) or --endpoint, not both.");
        if (endpoint is not null && string.IsNullOrWhiteSpace(modelName))
            throw new CliUsageException("--endpoint needs --model-name (the model the server serves).");
        if (endpoint is not null && !Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            throw new CliUsageException($"--endpoint must be an absolute URL, got '{endpoint}'.");
        if (modelName is not null && endpoint is null)
            throw new CliUsageException("--model-name only applies with --endpoint.");
        if (pr.GetValue(N) is { } n && n is < 1 or > 64)
            throw new CliUsageException($"--n must be between 1 and 64, got {n}.");
        if (pr.GetValue(Temperature) is { } t && (t < 0 || float.IsNaN(t)))
            throw new CliUsageException($"--temperature must be >= 0, got {t}.");
        if (pr.GetValue(MaxSteps) is { } steps && steps is < 1 or > 100)
            throw new CliUsageException($"--max-steps must be between 1 and 100, got {steps}.");
        if (pr.GetValue(TimeoutMs) < 1)
            throw new CliUsageException("--timeout-ms must be positive.");
        if (pr.GetValue(MemoryMb) < 128)
            throw new CliUsageException("--memory-mb must be at least 128 (the sandbox's compiler needs about 100).");
        var agent = pr.GetValue(Agent)!;
        if (!Directory.Exists(agent) && !File.Exists(agent))
            throw new CliUsageException($"agent folder not found: {agent}");
        return new AgentHostSettings
        {
            AgentFolder = agent,
            ModelPath = model,
            Endpoint = endpoint,
            ModelName = modelName,
            Candidates = pr.GetValue(N),
            Temperature = pr.GetValue(Temperature),
            Seed = pr.GetValue(Seed),
            MaxSteps = pr.GetValue(MaxSteps),
            NoGrammar = pr.GetValue(NoGrammar),
            ContextSize = pr.GetValue(ContextSize),
            Threads = pr.GetValue(Threads),
            GpuLayerCount = pr.GetValue(GpuLayers),
            TimeoutMs = pr.GetValue(TimeoutMs),
            MemoryMb = pr.GetValue(MemoryMb),
            AllowOutsidePaths = pr.GetValue(AllowOutsidePaths),
        };
    }
}
