using Microsoft.Extensions.Logging;

namespace AgentKit.Server;

/// <summary>The server's log lines (source-generated: no formatting cost when disabled).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening on {BaseUrl} serving model '{Model}'")]
    public static partial void Listening(ILogger logger, Uri baseUrl, string model);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Path} -> {Status} in {ElapsedMs:0} ms")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, int status, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "generated n={N} completion_tokens={Tokens} after queue_wait={QueueWaitMs:0} ms")]
    public static partial void Generated(ILogger logger, int n, int tokens, double queueWaitMs);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "streamed n={N} chunks={Chunks} after queue_wait={QueueWaitMs:0} ms")]
    public static partial void Streamed(ILogger logger, int n, int chunks, double queueWaitMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Generation failed")]
    public static partial void GenerationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Rejected request: {Message}")]
    public static partial void Rejected(ILogger logger, string message);
}
