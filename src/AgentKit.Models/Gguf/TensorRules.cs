using System.Globalization;

namespace AgentKit.Models.Gguf;

/// <summary>
/// Checks that hold for the tensors of every architecture: element types ggml can compute with (it aborts on an
/// integer weight matrix or a non-f32 norm in the middle of a generation), block indices within
/// <c>block_count</c>, every block present, and the token embedding shaped [hidden size, vocabulary].
/// </summary>
internal static class TensorRules
{
    public static void Check(ModelFileCheck check, ModelHyperparameters hyper, int? vocabulary)
    {
        var blocksSeen = new bool[hyper.BlockCount];
        foreach (var tensor in check.File.Tensors)
        {
            CheckType(check, tensor);
            if (BlockIndex(tensor.Name) is { } block)
            {
                if (block >= hyper.BlockCount)
                    throw check.Fail($"tensor '{tensor.Name}' belongs to block {block} but '{check.Key("block_count")}' is {hyper.BlockCount}");
                blocksSeen[block] = true;
            }
        }
        var missing = Array.IndexOf(blocksSeen, false);
        if (missing >= 0)
            throw check.Fail($"'{check.Key("block_count")}' is {hyper.BlockCount} but block {missing} has no tensors (no 'blk.{missing}.*')");

        if (vocabulary is { } vocab && Find(check.File, "token_embd.weight") is { } embedding)
            RequireShape(check, embedding, [hyper.Embedding, vocab], "[embedding_length, vocabulary size]");
    }

    /// <summary>The tensor called <paramref name="name"/>, or null.</summary>
    public static GgufTensorInfo? Find(GgufFile file, string name) => file.Tensors.FirstOrDefault(t => t.Name == name);

    /// <summary>
    /// Fails unless <paramref name="tensor"/> has exactly <paramref name="expected"/> dimensions (innermost first;
    /// trailing dimensions of 1 are allowed, as in ggml).
    /// </summary>
    public static void RequireShape(ModelFileCheck check, GgufTensorInfo tensor, IReadOnlyList<long> expected, string meaning)
    {
        var dims = tensor.Dimensions;
        var matches = dims.Count >= expected.Count
                      && expected.Select((d, i) => dims[i] == d).All(equal => equal)
                      && dims.Skip(expected.Count).All(d => d == 1);
        if (!matches)
            throw check.Fail($"tensor '{tensor.Name}' has shape [{string.Join(", ", dims)}] but the hyperparameters make it [{string.Join(", ", expected)}] ({meaning})");
    }

    private static void CheckType(ModelFileCheck check, GgufTensorInfo tensor)
    {
        if (tensor.Type is GgmlType.I8 or GgmlType.I16 or GgmlType.I32 or GgmlType.I64 or GgmlType.F64)
            throw check.Fail($"tensor '{tensor.Name}' is stored as {tensor.Type}; weights must be F32, F16, BF16 or quantised (ggml cannot compute with {tensor.Type} weights)");
        // Norm weights and biases are one-dimensional and are added or multiplied element-wise, which ggml's CPU
        // kernels only do in F32; converters always store them so.
        var rank = tensor.Dimensions.Count - tensor.Dimensions.Reverse().TakeWhile(d => d == 1).Count();
        if (rank <= 1 && tensor.Type != GgmlType.F32)
            throw check.Fail($"one-dimensional tensor '{tensor.Name}' is stored as {tensor.Type}; norms and biases must be F32");
    }

    /// <summary>N of a <c>blk.N.*</c> tensor name, or null for a tensor outside the blocks.</summary>
    private static int? BlockIndex(string name)
    {
        if (!name.StartsWith("blk.", StringComparison.Ordinal))
            return null;
        var end = name.IndexOf('.', 4);
        var digits = end < 0 ? name[4..] : name[4..end];
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var block) ? block : null;
    }
}
