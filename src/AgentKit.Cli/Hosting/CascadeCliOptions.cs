using System.CommandLine;
using AgentKit.Core.Cascade;
using AgentKit.Hosting;

namespace AgentKit.Cli.Hosting;

/// <summary>
/// <c>--cascade-endpoint URL --cascade-model NAME --defer RULE:THRESHOLD</c>: the agent's model becomes the student of a
/// cascade that defers uncertain requests to a teacher endpoint (<see cref="CascadeCandidateGenerator"/>).
/// </summary>
internal sealed class CascadeCliOptions
{
    public Option<string?> Endpoint { get; } = new("--cascade-endpoint") { Description = "OpenAI-compatible endpoint of a teacher the agent's model defers uncertain steps to." };
    public Option<string?> Model { get; } = new("--cascade-model") { Description = "Model name to request from --cascade-endpoint." };
    public Option<string?> Defer { get; } = new("--defer")
    {
        Description = "When to defer: total:T (sequence log-prob below -T), min:T, p10:T, p25:T, p50:T, mean:T (token statistics below -T), or logistic:FILE:P (fitted rule, failure probability above P).",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Endpoint);
        command.Options.Add(Model);
        command.Options.Add(Defer);
    }

    /// <summary><paramref name="settings"/> with the cascade the flags describe (unchanged when none is given).</summary>
    public AgentHostSettings Apply(ParseResult pr, AgentHostSettings settings)
    {
        var endpoint = pr.GetValue(Endpoint);
        var model = pr.GetValue(Model);
        var defer = pr.GetValue(Defer);
        if (endpoint is null && model is null && defer is null)
            return settings;
        if (endpoint is null || model is null || defer is null)
            throw new CliUsageException("--cascade-endpoint, --cascade-model and --defer go together.");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            throw new CliUsageException($"--cascade-endpoint must be an absolute URL, got '{endpoint}'.");
        CascadeOptions options;
        try
        {
            options = DeferralRuleSpec.Parse(defer);
        }
        catch (Exception ex) when (ex is FormatException or FileNotFoundException or InvalidDataException)
        {
            throw new CliUsageException($"--defer: {ex.Message}");
        }
        return CliUsageException.Check(() => (settings with { Cascade = new CascadeSettings(endpoint, model, options) }).Validate());
    }
}
