namespace AgentKit.Models.Gguf;

/// <summary>ggml tensor element types as numbered in GGUF files (gaps are types llama.cpp removed).</summary>
public enum GgmlType : uint
{
    /// <summary>32-bit float.</summary>
    F32 = 0,
    /// <summary>16-bit IEEE half float.</summary>
    F16 = 1,
    /// <summary>4-bit block quantisation.</summary>
    Q4_0 = 2,
    /// <summary>4-bit block quantisation with minimum.</summary>
    Q4_1 = 3,
    /// <summary>5-bit block quantisation.</summary>
    Q5_0 = 6,
    /// <summary>5-bit block quantisation with minimum.</summary>
    Q5_1 = 7,
    /// <summary>8-bit block quantisation.</summary>
    Q8_0 = 8,
    /// <summary>8-bit block quantisation with sum.</summary>
    Q8_1 = 9,
    /// <summary>2-bit k-quant.</summary>
    Q2_K = 10,
    /// <summary>3-bit k-quant.</summary>
    Q3_K = 11,
    /// <summary>4-bit k-quant.</summary>
    Q4_K = 12,
    /// <summary>5-bit k-quant.</summary>
    Q5_K = 13,
    /// <summary>6-bit k-quant.</summary>
    Q6_K = 14,
    /// <summary>8-bit k-quant.</summary>
    Q8_K = 15,
    /// <summary>i-quant, 2.06 bits per weight.</summary>
    IQ2_XXS = 16,
    /// <summary>i-quant, 2.31 bits per weight.</summary>
    IQ2_XS = 17,
    /// <summary>i-quant, 3.06 bits per weight.</summary>
    IQ3_XXS = 18,
    /// <summary>i-quant, 1.56 bits per weight.</summary>
    IQ1_S = 19,
    /// <summary>Non-linear 4-bit i-quant.</summary>
    IQ4_NL = 20,
    /// <summary>i-quant, 3.44 bits per weight.</summary>
    IQ3_S = 21,
    /// <summary>i-quant, 2.5 bits per weight.</summary>
    IQ2_S = 22,
    /// <summary>i-quant, 4.25 bits per weight.</summary>
    IQ4_XS = 23,
    /// <summary>8-bit integer.</summary>
    I8 = 24,
    /// <summary>16-bit integer.</summary>
    I16 = 25,
    /// <summary>32-bit integer.</summary>
    I32 = 26,
    /// <summary>64-bit integer.</summary>
    I64 = 27,
    /// <summary>64-bit float.</summary>
    F64 = 28,
    /// <summary>i-quant, 1.75 bits per weight.</summary>
    IQ1_M = 29,
    /// <summary>bfloat16.</summary>
    BF16 = 30,
    /// <summary>Ternary quantisation, 1.69 bits per weight.</summary>
    TQ1_0 = 34,
    /// <summary>Ternary quantisation, 2.06 bits per weight.</summary>
    TQ2_0 = 35,
    /// <summary>Microscaling 4-bit float.</summary>
    MXFP4 = 39,
}

/// <summary>Storage layout of each <see cref="GgmlType"/>: elements per block and bytes per block.</summary>
public static class GgmlTypeInfo
{
    private static readonly Dictionary<GgmlType, (int BlockSize, int BlockBytes)> Layouts = new()
    {
        [GgmlType.F32] = (1, 4), [GgmlType.F16] = (1, 2), [GgmlType.BF16] = (1, 2), [GgmlType.F64] = (1, 8),
        [GgmlType.I8] = (1, 1), [GgmlType.I16] = (1, 2), [GgmlType.I32] = (1, 4), [GgmlType.I64] = (1, 8),
        [GgmlType.Q4_0] = (32, 18), [GgmlType.Q4_1] = (32, 20), [GgmlType.Q5_0] = (32, 22), [GgmlType.Q5_1] = (32, 24),
        [GgmlType.Q8_0] = (32, 34), [GgmlType.Q8_1] = (32, 36), [GgmlType.IQ4_NL] = (32, 18), [GgmlType.MXFP4] = (32, 17),
        [GgmlType.Q2_K] = (256, 84), [GgmlType.Q3_K] = (256, 110), [GgmlType.Q4_K] = (256, 144), [GgmlType.Q5_K] = (256, 176),
        [GgmlType.Q6_K] = (256, 210), [GgmlType.Q8_K] = (256, 292), [GgmlType.IQ2_XXS] = (256, 66), [GgmlType.IQ2_XS] = (256, 74),
        [GgmlType.IQ3_XXS] = (256, 98), [GgmlType.IQ1_S] = (256, 50), [GgmlType.IQ3_S] = (256, 110), [GgmlType.IQ2_S] = (256, 82),
        [GgmlType.IQ4_XS] = (256, 136), [GgmlType.IQ1_M] = (256, 56), [GgmlType.TQ1_0] = (256, 54), [GgmlType.TQ2_0] = (256, 66),
    };

    /// <summary>True when the type is one this library knows the layout of.</summary>
    public static bool IsKnown(GgmlType type) => Layouts.ContainsKey(type);

    /// <summary>Elements per quantisation block (1 for plain types).</summary>
    public static int BlockSize(GgmlType type) => Layout(type).BlockSize;

    /// <summary>
    /// Bytes taken by a tensor of <paramref name="elements"/> elements. Throws when the count is not a
    /// whole number of blocks, which ggml requires of every row.
    /// </summary>
    public static long ByteSize(GgmlType type, long elements)
    {
        var (blockSize, blockBytes) = Layout(type);
        if (elements % blockSize != 0)
            throw new ArgumentException($"{elements} elements is not a whole number of {type} blocks of {blockSize}.");
        return checked(elements / blockSize * blockBytes);
    }

    private static (int BlockSize, int BlockBytes) Layout(GgmlType type) =>
        Layouts.TryGetValue(type, out var layout)
            ? layout
            : throw new NotSupportedException($"Unknown ggml tensor type {(uint)type}.");
}
