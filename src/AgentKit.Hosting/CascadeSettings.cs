using AgentKit.Core.Cascade;

namespace AgentKit.Hosting;

/// <summary>
/// A teacher served at an OpenAI-compatible endpoint that the agent's own model (the student) defers uncertain
/// requests to (<see cref="CascadeCandidateGenerator"/>). Checked by <see cref="AgentHostSettings.Validate"/>.
/// </summary>
/// <param name="Endpoint">The teacher's endpoint (absolute URL).</param>
/// <param name="Model">The model name to request from it.</param>
/// <param name="Options">The deferral rule and threshold (<see cref="DeferralRuleSpec.Parse"/> reads <c>--defer</c>).</param>
public sealed record CascadeSettings(string Endpoint, string Model, CascadeOptions Options);
