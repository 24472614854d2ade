namespace AgentKit.Models.Gguf;

/// <summary>The header of a GGUF file as read by <see cref="GgufReader"/>: metadata, tensor infos and layout.</summary>
public sealed class GgufFile
{
    private readonly Dictionary<string, GgufValue> _byKey;

    internal GgufFile(uint version, IReadOnlyList<KeyValuePair<string, GgufValue>> metadata,
        IReadOnlyList<GgufTensorInfo> tensors, int alignment, long dataOffset, long fileLength)
    {
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        Alignment = alignment;
        DataOffset = dataOffset;
        FileLength = fileLength;
        _byKey = new Dictionary<string, GgufValue>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata)
            _byKey[key] = value;
    }

    /// <summary>GGUF format version (2 or 3).</summary>
    public uint Version { get; }

    /// <summary>Metadata in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata { get; }

    /// <summary>Tensor infos in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>Alignment of tensor data in bytes.</summary>
    public int Alignment { get; }

    /// <summary>Absolute file offset where tensor data starts.</summary>
    public long DataOffset { get; }

    /// <summary>Size of the file in bytes.</summary>
    public long FileLength { get; }

    /// <summary>Value of <c>general.architecture</c>, or null when absent.</summary>
    public string? Architecture => TryGet("general.architecture", out var value) && value.Type == GgufValueType.String ? value.AsString() : null;

    /// <summary>Total number of tensor elements (the parameter count of a model).</summary>
    public long ParameterCount => Tensors.Sum(t => t.ElementCount);

    /// <summary>Looks a metadata key up.</summary>
    public bool TryGet(string key, out GgufValue value) => _byKey.TryGetValue(key, out value!);

    /// <summary>The metadata value of <paramref name="key"/>, or null.</summary>
    public GgufValue? this[string key] => _byKey.GetValueOrDefault(key);

    /// <summary>An integer value of <c>{architecture}.{suffix}</c>, e.g. <c>GetArchitectureInt("block_count")</c>.</summary>
    public long? GetArchitectureInt(string suffix) =>
        Architecture is { } arch && TryGet($"{arch}.{suffix}", out var value) && value.Type is not (GgufValueType.String or GgufValueType.Array or GgufValueType.Float32 or GgufValueType.Float64)
            ? value.AsInt64()
            : null;
}
