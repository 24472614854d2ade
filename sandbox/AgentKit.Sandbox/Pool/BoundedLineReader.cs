using System.Text;

namespace AgentKit.Sandbox.Pool;

/// <summary>
/// Reads UTF-8 lines from a worker's stdout with a hard cap on their length, so a worker that sends a message of
/// hundreds of megabytes (a compromised one, or a bug) costs the host at most the cap before it is killed.
/// </summary>
internal sealed class BoundedLineReader(Stream stream, int maxLineBytes)
{
    private readonly byte[] _chunk = new byte[64 * 1024];
    private readonly MemoryStream _line = new();
    private int _chunkStart;
    private int _chunkEnd;

    /// <summary>The most bytes one line may have.</summary>
    public int MaxLineBytes => maxLineBytes;

    /// <summary>Returns the next line without its terminator, or null at the end of the stream.</summary>
    /// <exception cref="MessageTooLargeException">The line is longer than <see cref="MaxLineBytes"/>.</exception>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        _line.SetLength(0);
        while (true)
        {
            if (_chunkStart == _chunkEnd)
            {
                _chunkStart = 0;
                _chunkEnd = await stream.ReadAsync(_chunk, cancellationToken).ConfigureAwait(false);
                if (_chunkEnd == 0) return null; // a partial last line is a lost worker, not a message
            }
            var newline = Array.IndexOf(_chunk, (byte)'\n', _chunkStart, _chunkEnd - _chunkStart);
            var end = newline < 0 ? _chunkEnd : newline;
            if (_line.Length + (end - _chunkStart) > maxLineBytes)
                throw new MessageTooLargeException(maxLineBytes);
            _line.Write(_chunk, _chunkStart, end - _chunkStart);
            if (newline < 0)
            {
                _chunkStart = _chunkEnd;
                continue;
            }
            _chunkStart = newline + 1;
            return Encoding.UTF8.GetString(_line.GetBuffer(), 0, (int)_line.Length);
        }
    }
}

/// <summary>A worker sent a protocol message longer than the host accepts.</summary>
internal sealed class MessageTooLargeException(int limit)
    : IOException($"The worker sent a message longer than {limit:N0} bytes.")
{
}
