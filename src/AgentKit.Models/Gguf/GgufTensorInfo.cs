namespace AgentKit.Models.Gguf;

/// <summary>
/// A tensor described in a GGUF header.
/// </summary>
/// <param name="Name">Tensor name, e.g. <c>blk.0.attn_q.weight</c>.</param>
/// <param name="Dimensions">Sizes, innermost (fastest-varying) first, as GGUF stores them.</param>
/// <param name="Type">Element type.</param>
/// <param name="Offset">Byte offset of the data from the start of the tensor data section.</param>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Dimensions, GgmlType Type, long Offset)
{
    /// <summary>Number of elements (product of the dimensions).</summary>
    public long ElementCount => Dimensions.Aggregate(1L, (product, dim) => checked(product * dim));

    /// <summary>Bytes of data the tensor occupies.</summary>
    public long ByteSize => GgmlTypeInfo.ByteSize(Type, ElementCount);
}
