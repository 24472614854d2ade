namespace AgentKit.Core.Trajectories;

/// <summary>One chat message of an SFT example.</summary>
/// <param name="Role">system, user or assistant.</param>
/// <param name="Content">The text.</param>
/// <param name="Weight">Loss flag: 1 on assistant turns (the agent's own plans, actions and answers), 0 on everything the model only reads.</param>
public sealed record SftMessage(string Role, string Content, int Weight);

/// <summary>One SFT example: a whole run as a conversation (OpenAI fine-tuning / TRL <c>messages</c> format).</summary>
/// <param name="Messages">The conversation.</param>
public sealed record SftExample(IReadOnlyList<SftMessage> Messages);
