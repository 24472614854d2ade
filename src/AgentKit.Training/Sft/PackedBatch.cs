using static TorchSharp.torch;

namespace AgentKit.Training.Sft;

/// <summary>
/// Examples packed into fixed-length rows. Each row holds whole examples back to back (an example that would
/// cross the row end starts the next row; one longer than a row is truncated); the rest is padding. Attention
/// stays inside each example and positions restart at 0 per example, so packing does not change the loss.
/// </summary>
public sealed class PackedRows
{
    private PackedRows(int length, List<int[]> tokens, List<float[]> weights, List<int[]> documents, int truncated)
    {
        Length = length;
        Tokens = tokens;
        Weights = weights;
        Documents = documents;
        Truncated = truncated;
    }

    /// <summary>Tokens per row (inputs; targets are the next tokens).</summary>
    public int Length { get; }

    /// <summary>Row token ids, <see cref="Length"/> + 1 each.</summary>
    public IReadOnlyList<int[]> Tokens { get; }

    /// <summary>Row loss weights (weight of predicting each token).</summary>
    public IReadOnlyList<float[]> Weights { get; }

    /// <summary>Example index of each token within its row (-1 for padding).</summary>
    public IReadOnlyList<int[]> Documents { get; }

    /// <summary>Examples cut because they were longer than a row.</summary>
    public int Truncated { get; }

    /// <summary>Rows.</summary>
    public int Count => Tokens.Count;

    /// <summary>Trained tokens over all rows.</summary>
    public long TrainedTokens => Weights.Sum(w => (long)w.Count(x => x > 0));

    /// <summary>Packs <paramref name="examples"/> in order into rows of <paramref name="length"/> inputs.</summary>
    public static PackedRows Pack(IEnumerable<TokenizedExample> examples, int length, int padId)
    {
        if (length < 2)
            throw new ArgumentOutOfRangeException(nameof(length), "Rows need at least 2 tokens.");
        var capacity = length + 1;
        var tokens = new List<int[]>();
        var weights = new List<float[]>();
        var documents = new List<int[]>();
        int[]? rowTokens = null;
        float[]? rowWeights = null;
        int[]? rowDocs = null;
        var used = 0;
        var truncated = 0;
        var docInRow = 0;
        foreach (var example in examples)
        {
            var n = example.Tokens.Length;
            if (n > capacity)
            {
                n = capacity;
                truncated++;
            }
            if (n < 2)
                continue;
            if (rowTokens is null || used + n > capacity)
            {
                StartRow();
            }
            Array.Copy(example.Tokens, 0, rowTokens!, used, n);
            Array.Copy(example.Weights, 0, rowWeights!, used, n);
            Array.Fill(rowDocs!, docInRow++, used, n);
            // The first token of an example is never predicted from the previous example.
            rowWeights![used] = 0;
            used += n;
        }
        if (rowTokens is not null)
            Flush();
        if (tokens.Count == 0)
            throw new InvalidDataException("No example has at least 2 tokens to train on.");
        return new PackedRows(length, tokens, weights, documents, truncated);

        void StartRow()
        {
            if (rowTokens is not null)
                Flush();
            rowTokens = new int[capacity];
            Array.Fill(rowTokens, padId);
            rowWeights = new float[capacity];
            rowDocs = new int[capacity];
            Array.Fill(rowDocs, -1);
            used = 0;
            docInRow = 0;
        }

        void Flush()
        {
            if (rowWeights!.Any(w => w > 0))
            {
                tokens.Add(rowTokens!);
                weights.Add(rowWeights!);
                documents.Add(rowDocs!);
            }
            rowTokens = null;
        }
    }

    /// <summary>Tensors for rows <paramref name="rows"/>: inputs and positions [B, L], mask [B, 1, L, L], targets and weights [B, L].</summary>
    public (Tensor Inputs, Tensor Positions, Tensor Mask, Tensor Targets, Tensor TargetWeights) Batch(IReadOnlyList<int> rows)
    {
        int b = rows.Count, l = Length;
        var inputs = new long[b * l];
        var targets = new long[b * l];
        var targetWeights = new float[b * l];
        var positions = new long[b * l];
        var docs = new long[b * l];
        for (var r = 0; r < b; r++)
        {
            var row = rows[r];
            var position = 0L;
            for (var i = 0; i < l; i++)
            {
                var k = r * l + i;
                inputs[k] = Tokens[row][i];
                targets[k] = Tokens[row][i + 1];
                targetWeights[k] = Documents[row][i + 1] == Documents[row][i] ? Weights[row][i + 1] : 0;
                position = i > 0 && Documents[row][i] == Documents[row][i - 1] ? position + 1 : 0;
                positions[k] = position;
                docs[k] = Documents[row][i];
            }
        }
        using var scope = NewDisposeScope();
        var docTensor = tensor(docs).view(b, l);
        var sameDoc = docTensor.unsqueeze(2).eq(docTensor.unsqueeze(1));
        var causal = ones(l, l, dtype: ScalarType.Bool).tril();
        var mask = (sameDoc & causal).unsqueeze(1);
        return (tensor(inputs).view(b, l).MoveToOuterDisposeScope(), tensor(positions).view(b, l).MoveToOuterDisposeScope(),
            mask.MoveToOuterDisposeScope(), tensor(targets).view(b, l).MoveToOuterDisposeScope(),
            tensor(targetWeights).view(b, l).MoveToOuterDisposeScope());
    }
}
