namespace AgentKit.Training.Sft;

/// <summary>One chat message of an SFT record.</summary>
/// <param name="Role">system, user, assistant, tool, …</param>
/// <param name="Content">The message text.</param>
/// <param name="Weight">1 to train on this message's tokens, 0 to use it as context only.</param>
public sealed record SftMessage(string Role, string Content, double Weight);

/// <summary>A conversation to train on.</summary>
/// <param name="Messages">The messages in order.</param>
/// <param name="Line">1-based line in the source file, for error messages.</param>
public sealed record SftExample(IReadOnlyList<SftMessage> Messages, int Line);

/// <summary>An example as tokens with a per-token loss weight (the weight of predicting that token).</summary>
/// <param name="Tokens">Token ids of the rendered conversation.</param>
/// <param name="Weights">Loss weight of each token (0 on prompts and headers).</param>
public sealed record TokenizedExample(int[] Tokens, float[] Weights);
