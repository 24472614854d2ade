namespace AgentKit.Fuzzing.ToyParser;

/// <summary>A byte harness that branches on a raw byte no UTF-8 text keeps (0xFF), for the tests of text forms.</summary>
public static class ByteHeader
{
    /// <summary>1 when <paramref name="data"/> starts with the byte 0xFF, else 0.</summary>
    public static int Parse(ReadOnlySpan<byte> data) => data.Length > 0 && data[0] == 0xFF ? 1 : 0;
}
