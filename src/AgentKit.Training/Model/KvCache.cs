using static TorchSharp.torch;

namespace AgentKit.Training.Model;

/// <summary>
/// Keys and values of every layer for the tokens seen so far ([B, kvHeads, S, headDim] per layer), so each
/// generation step only runs the new token. Owns its tensors: dispose it when generation ends.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    /// <summary>Creates an empty cache for <paramref name="layers"/> layers.</summary>
    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Tokens cached so far.</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's keys/values for one layer and returns the full sequences.</summary>
    internal (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var (oldK, oldV) = (_keys[layer], _values[layer]);
        var newK = oldK is null ? keys.detach().clone() : cat([oldK, keys.detach()], 2);
        var newV = oldV is null ? values.detach().clone() : cat([oldV, values.detach()], 2);
        newK.DetachFromDisposeScope();
        newV.DetachFromDisposeScope();
        oldK?.Dispose();
        oldV?.Dispose();
        _keys[layer] = newK;
        _values[layer] = newV;
        return (newK, newV);
    }

    /// <summary>Repeats batch row 0 <paramref name="copies"/> times (one prompt, several candidates).</summary>
    public void ExpandBatch(int copies)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = Replace(_keys[i], t => t.expand(copies, -1, -1, -1).contiguous());
            _values[i] = Replace(_values[i], t => t.expand(copies, -1, -1, -1).contiguous());
        }
    }

    private static Tensor? Replace(Tensor? old, Func<Tensor, Tensor> map)
    {
        if (old is null)
            return null;
        var result = map(old);
        result.DetachFromDisposeScope();
        old.Dispose();
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values))
            t?.Dispose();
        Array.Clear(_keys);
        Array.Clear(_values);
    }
}
