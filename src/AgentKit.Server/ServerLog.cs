using Microsoft.Extensions.Logging;

namespace AgentKit.Server;

/// <summary>The server's log lines (source-generated: no formatting cost when disabled).</summary>
internal static partial class ServerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Listening on {BaseUrl} serving model '{Model}'")]
    public static partial void Listening(ILogger logger, Uri baseUrl, string model);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "{Method} {Path} -> {Status} in {ElapsedMs:0} ms")]
    public static partial void RequestCompleted(ILogger logger, string method, string path, int status, double elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "generated n={N} stream={Stream} completion_tokens={Tokens} queue_wait={QueueWaitMs:0} ms")]
    public static partial void Generated(ILogger logger, int n, bool stream, int tokens, double queueWaitMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Generation failed")]
    public static partial void GenerationFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Rejected request: {Message}")]
    public static partial void Rejected(ILogger logger, string message);
}
