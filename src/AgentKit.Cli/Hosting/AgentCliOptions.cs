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

    /// <summary>Reads the values; throws <see cref="CliUsageException"/> for inconsistent ones (<see cref="AgentHostSettings.Validate"/>, in flag names).</summary>
    public AgentHostSettings Read(ParseResult pr)
    {
        var agent = pr.GetValue(Agent)!;
        if (!Directory.Exists(agent) && !File.Exists(agent))
            throw new CliUsageException($"agent folder not found: {agent}");
        return CliUsageException.Check(() => new AgentHostSettings
        {
            AgentFolder = agent, ModelPath = CheckpointModel.Resolve(pr.GetValue(Model)), Endpoint = pr.GetValue(Endpoint), ModelName = pr.GetValue(ModelName),
            Candidates = pr.GetValue(N), Temperature = pr.GetValue(Temperature), Seed = pr.GetValue(Seed), MaxSteps = pr.GetValue(MaxSteps),
            NoGrammar = pr.GetValue(NoGrammar), ContextSize = pr.GetValue(ContextSize), Threads = pr.GetValue(Threads), GpuLayerCount = pr.GetValue(GpuLayers),
            TimeoutMs = pr.GetValue(TimeoutMs), MemoryMb = pr.GetValue(MemoryMb), AllowOutsidePaths = pr.GetValue(AllowOutsidePaths),
        }.Validate(), message => message
            .Replace("a model file or an endpoint", "--model (a GGUF file) or --endpoint").Replace("an endpoint must", "--endpoint must")
            .Replace("a model name only applies with an endpoint", "--model-name only applies with --endpoint").Replace("candidates must", "--n must")
            .Replace("temperature must", "--temperature must").Replace("max steps must", "--max-steps must").Replace("context size must", "--context must")
            .Replace("gpu layers must", "--gpu-layers must").Replace("the snippet time limit must", "--timeout-ms must")
            .Replace("the worker memory limit must", "--memory-mb must"));
    }
}
