using System.Text;
using System.Text.Json;
using AgentKit.Sandbox.Protocol;

namespace AgentKit.Sandbox.Worker.Protocol;

/// <summary>
/// The worker's end of the pipe. It holds the process's real stdin/stdout streams, opened before any
/// script runs; scripts only ever see the captured <see cref="Console.Out"/>.
/// </summary>
internal sealed class HostChannel(Stream input, Stream output)
{
    private readonly StreamReader _reader = new(input, new UTF8Encoding(false));
    private readonly StreamWriter _writer = new(output, new UTF8Encoding(false)) { AutoFlush = false, NewLine = "\n" };

    /// <summary>Reads the next request; null when the host closed the pipe.</summary>
    public WorkerRequest? Receive()
    {
        var line = _reader.ReadLine();
        return line is null ? null : JsonSerializer.Deserialize<WorkerRequest>(line, WorkerProtocol.Json)
            ?? throw new InvalidDataException("The host sent an empty request.");
    }

    /// <summary>Writes one message and flushes, so the host sees it at once.</summary>
    public void Send(WorkerReply reply)
    {
        _writer.WriteLine(JsonSerializer.Serialize(reply, WorkerProtocol.Json));
        _writer.Flush();
    }
}
