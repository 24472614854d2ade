using System.Text;

namespace AgentKit.Sandbox.Worker.Output;

/// <summary>
/// Stands in for <see cref="Console.Out"/> while a snippet runs: keeps the first <c>capacity</c> characters
/// and drops the rest, so a print loop can neither flood the protocol pipe nor exhaust memory.
/// </summary>
internal sealed class CappedWriter(int capacity) : TextWriter
{
    private readonly StringBuilder _text = new();

    /// <summary>True once something was dropped since the last <see cref="Reset"/>.</summary>
    public bool Truncated { get; private set; }

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (_text.Length < capacity) _text.Append(value);
        else Truncated = true;
    }

    public override void Write(string? value)
    {
        if (value is null) return;
        Append(value.AsSpan());
    }

    public override void Write(char[] buffer, int index, int count) => Append(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer) => Append(buffer);

    /// <summary>Returns what was captured and starts over.</summary>
    public string Reset()
    {
        var text = _text.ToString();
        _text.Clear();
        if (_text.Capacity > 4 * capacity) _text.Capacity = capacity;
        Truncated = false;
        return text;
    }

    private void Append(ReadOnlySpan<char> value)
    {
        var room = capacity - _text.Length;
        if (value.Length <= room)
        {
            _text.Append(value);
            return;
        }
        if (room > 0) _text.Append(value[..room]);
        Truncated = true;
    }
}
