using System.Text;

namespace AgentKit.Retrieval.Corpus;

/// <summary>
/// Reads UTF-8 lines from a stream keeping the exact byte position after every line, which a
/// <see cref="StreamReader"/> cannot tell (it reads ahead); that position is what a resumed index build seeks to.
/// Memory is one buffer, grown only for a line longer than it.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;

    public Utf8LineReader(Stream stream, long position)
    {
        _stream = stream;
        Position = position;
        if (position == 0)
            SkipByteOrderMark();
    }

    /// <summary>Bytes of the stream consumed by the lines returned so far.</summary>
    public long Position { get; private set; }

    /// <summary>Continues from <paramref name="position"/> bytes into the stream, which must be seekable.</summary>
    public void Seek(long position)
    {
        _stream.Seek(position, SeekOrigin.Begin);
        _start = _end = 0;
        _eof = false;
        Position = position;
    }

    /// <summary>The next line without its <c>\n</c> or <c>\r\n</c>, or null at the end of the stream.</summary>
    public string? ReadLine()
    {
        var scanFrom = _start;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', scanFrom, _end - scanFrom);
            if (newline >= 0)
                return Take(newline - _start, newline + 1 - _start);
            if (_eof)
                return _end > _start ? Take(_end - _start, _end - _start) : null;
            scanFrom = _end - Fill(); // the line start moves to 0; keep scanning where the old data ended
        }
    }

    private string Take(int length, int consumed)
    {
        var span = _buffer.AsSpan(_start, length);
        if (span.Length > 0 && span[^1] == (byte)'\r')
            span = span[..^1];
        var line = Utf8.GetString(span);
        _start += consumed;
        Position += consumed;
        return line;
    }

    /// <summary>Reads more bytes; returns how far the unfinished line moved towards the front.</summary>
    private int Fill()
    {
        // Move the unfinished line to the front, growing the buffer when the line fills it.
        var shift = _start;
        var pending = _end - _start;
        if (pending == _buffer.Length)
            Array.Resize(ref _buffer, _buffer.Length * 2);
        else if (_start > 0)
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
        _start = 0;
        _end = pending;
        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
            _eof = true;
        _end += read;
        return shift;
    }

    private void SkipByteOrderMark()
    {
        _ = Fill();
        if (_end >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _start = 3;
            Position = 3;
        }
    }

    public void Dispose() => _stream.Dispose();
}
