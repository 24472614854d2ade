using System.Text;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Sft;

/// <summary>
/// Renders an example with <see cref="ChatFormat"/> and tokenizes the whole text at once (so tokens match
/// what inference sees), then gives each token the weight of the message content it starts in. A trained
/// message's <c>&lt;|im_end|&gt;</c> is trained too, so the model learns to stop.
/// </summary>
public static class SftTokenization
{
    /// <summary>Tokenizes <paramref name="example"/>.</summary>
    public static TokenizedExample Tokenize(SftExample example, ITextTokenizer tokenizer)
    {
        var text = new StringBuilder();
        var byteWeights = new List<float>();
        void Append(string piece, float weight)
        {
            text.Append(piece);
            byteWeights.AddRange(Enumerable.Repeat(weight, Encoding.UTF8.GetByteCount(piece)));
        }
        foreach (var message in example.Messages)
        {
            Append(ChatFormat.Header(message.Role), 0);
            Append(message.Content + ChatFormat.ImEnd, (float)message.Weight);
            Append("\n", 0);
        }
        var tokens = tokenizer.Encode(text.ToString()).ToArray();
        var weights = new float[tokens.Length];
        var offset = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            weights[i] = offset < byteWeights.Count ? byteWeights[offset] : 0;
            offset += tokenizer.TokenByteLength(tokens[i]);
        }
        if (offset != byteWeights.Count)
            throw new InvalidOperationException($"Token byte lengths ({offset}) do not add up to the text ({byteWeights.Count} bytes); the tokenizer is inconsistent.");
        return new TokenizedExample(tokens, weights);
    }
}
