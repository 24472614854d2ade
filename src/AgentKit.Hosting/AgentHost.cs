using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Tools;
using AgentKit.Core;
using AgentKit.Core.Cascade;
using AgentKit.Core.Definitions;
using AgentKit.Core.Running;
using AgentKit.Models.LlamaSharp;
using AgentKit.Models.OpenAICompatible;
using AgentKit.Sandbox;

namespace AgentKit.Hosting;

/// <summary>
/// Wires an agent folder to real components: the model (GGUF via LLamaSharp, or an OpenAI-compatible endpoint),
/// the tools (<see cref="AgentToolFactory"/>), and the out-of-process C# sandbox. Owns and disposes all of them.
/// <code>
/// await using var host = await AgentHost.OpenAsync(new AgentHostSettings { AgentFolder = "agents/atlas" }, ct);
/// var result = await host.CreateAgent(new AgentRunOptions()).RunAsync(new TrajectoryTask("q1", "What is the capital of Peru?"), null, ct);
/// </code>
/// </summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly AgentToolFactory _toolFactory;
    private readonly IDisposable? _generatorOwner;
    private readonly IAsyncDisposable? _sandboxOwner;
    private readonly ICandidateGenerator? _generator;

    private AgentHost(LoadedAgent agent, ICandidateGenerator? generator, IReadOnlyList<IAgentTool> tools, ICodeSandbox sandbox,
        AgentToolFactory toolFactory, IDisposable? generatorOwner, IAsyncDisposable? sandboxOwner)
    {
        Agent = agent;
        _generator = generator;
        Tools = tools;
        Sandbox = sandbox;
        _toolFactory = toolFactory;
        _generatorOwner = generatorOwner;
        _sandboxOwner = sandboxOwner;
    }

    /// <summary>The agent folder and its definition with the command-line overrides applied.</summary>
    public LoadedAgent Agent { get; }

    /// <summary>True when the agent's model was opened (<see cref="AgentHostSettings.OpenModel"/>).</summary>
    public bool HasModel => _generator is not null;

    /// <summary>The opened model.</summary>
    /// <exception cref="InvalidOperationException">The host was opened without a model (<see cref="AgentHostSettings.OpenModel"/> false).</exception>
    public ICandidateGenerator Generator => _generator ?? throw new InvalidOperationException(
        $"this host was opened without a model (AgentHostSettings.OpenModel is false) for agent '{Agent.Definition.Name}': " +
        "it has tools and a sandbox but nothing to generate actions with; open it with its model, or drive it with a generator of your own.");

    /// <summary>The cascade the model is, when <see cref="AgentHostSettings.Cascade"/> was set (its counters tell how many requests were deferred); null otherwise.</summary>
    public CascadeCandidateGenerator? Cascade => _generator as CascadeCandidateGenerator;

    /// <summary>The agent's tools, built from its definition.</summary>
    public IReadOnlyList<IAgentTool> Tools { get; }

    /// <summary>The running sandbox the agent's code executes in.</summary>
    public ICodeSandbox Sandbox { get; }

    /// <summary>Loads the agent and opens its model (unless <see cref="AgentHostSettings.OpenModel"/> is false), tools and sandbox.</summary>
    /// <exception cref="ArgumentException"><paramref name="settings"/> is inconsistent (<see cref="AgentHostSettings.Validate"/>).</exception>
    /// <exception cref="InvalidDataException">The agent folder or a tool's settings are unusable.</exception>
    /// <exception cref="FileNotFoundException">The agent's model file does not exist (and the model is to be opened).</exception>
    public static async Task<AgentHost> OpenAsync(AgentHostSettings settings, CancellationToken cancellationToken = default)
    {
        settings.Validate();
        var loaded = AgentDefinitionLoader.Load(settings.AgentFolder, settings.LoadOptions);
        var agent = loaded with { Definition = ApplyOverrides(loaded.Definition, settings).Validate() };
        var toolFactory = new AgentToolFactory();
        IDisposable? generatorOwner = null;
        try
        {
            var generator = settings.OpenModel ? OpenGenerator(agent, settings, out generatorOwner) : null;
            if (generator is not null && settings.Cascade is { } cascade)
            {
                var teacher = OpenEndpoint(cascade.Endpoint, cascade.Model, settings.EndpointRetry);
                generatorOwner = new CompositeDisposable(generatorOwner, teacher);
                generator = new CascadeCandidateGenerator(generator, teacher, cascade.Options);
            }
            var tools = toolFactory.Create(agent);
            var sandbox = await CodeSandbox.StartAsync(
                new SandboxOptions { Timeout = TimeSpan.FromMilliseconds(settings.TimeoutMs), MemoryLimitMb = settings.MemoryMb }, cancellationToken: cancellationToken);
            return new AgentHost(agent, generator, tools, sandbox, toolFactory, generatorOwner, sandbox);
        }
        catch
        {
            generatorOwner?.Dispose();
            toolFactory.Dispose();
            throw;
        }
    }

    /// <summary>An agent over this host's components.</summary>
    /// <exception cref="InvalidOperationException">The host was opened without a model (<see cref="AgentHostSettings.OpenModel"/> false).</exception>
    public Agent CreateAgent(AgentRunOptions options) => new(Agent.Definition, Generator, Sandbox, Tools, options);

    /// <summary>Opens a model other than the agent's (a teacher endpoint), retrying and rate-limiting as <paramref name="retry"/> says.</summary>
    public static OpenAICompatibleGenerator OpenEndpoint(string endpoint, string model, EndpointRetryOptions? retry = null) =>
        new(new OpenAICompatibleOptions { Endpoint = new Uri(endpoint), Model = model, Retry = retry ?? EndpointRetryOptions.None });

    private static AgentDefinition ApplyOverrides(AgentDefinition definition, AgentHostSettings settings)
    {
        var model = definition.Model;
        if (settings.ModelPath is { } path)
            model = new AgentModelOptions { Path = Path.GetFullPath(path) };
        else if (settings.Endpoint is { } endpoint)
            model = new AgentModelOptions { Endpoint = endpoint, Name = settings.ModelName };
        var sampling = definition.Sampling with
        {
            Candidates = settings.Candidates ?? definition.Sampling.Candidates,
            Temperature = settings.Temperature ?? definition.Sampling.Temperature,
            Seed = settings.Seed ?? definition.Sampling.Seed,
        };
        return definition with
        {
            Model = model,
            Sampling = sampling,
            MaxSteps = settings.MaxSteps ?? definition.MaxSteps,
            Grammar = definition.Grammar && !settings.NoGrammar,
        };
    }

    private static ICandidateGenerator OpenGenerator(LoadedAgent agent, AgentHostSettings settings, out IDisposable? owner)
    {
        if (agent.ModelPath is { } modelPath)
        {
            if (!File.Exists(modelPath))
                throw new FileNotFoundException(
                    $"Model file not found: {modelPath}. Put a GGUF there, or pass --model FILE or --endpoint URL --model-name NAME.", modelPath);
            var local = new LlamaSharpGenerator(new LlamaSharpOptions
            {
                ModelPath = modelPath, ContextSize = settings.ContextSize, Threads = settings.Threads, GpuLayerCount = settings.GpuLayerCount,
            });
            owner = local;
            return local;
        }
        var remote = OpenEndpoint(agent.Definition.Model.Endpoint!, agent.Definition.Model.Name!, settings.EndpointRetry);
        owner = remote;
        return remote;
    }

    /// <summary>Stops the sandbox, closes the model and the tools' indexes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_sandboxOwner is not null)
            await _sandboxOwner.DisposeAsync();
        _generatorOwner?.Dispose();
        _toolFactory.Dispose();
    }

    private sealed class CompositeDisposable(params IDisposable?[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts)
                part?.Dispose();
        }
    }
}
