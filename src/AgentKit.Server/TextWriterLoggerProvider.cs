using Microsoft.Extensions.Logging;

namespace AgentKit.Server;

/// <summary>
/// Writes log lines (<c>HH:mm:ss message</c>, <c>warning: </c>/<c>error: </c> prefixed, the exception's type and message
/// appended) to a <see cref="TextWriter"/>, one flushed line at a time; Information and above. What <c>agentkit serve</c>
/// prints per request, for any host that wants plain lines on a console or in a file.
/// <code>
/// using var logs = LoggerFactory.Create(b => b.AddProvider(new TextWriterLoggerProvider(Console.Error)));
/// await using var server = new OpenAICompatibleServer(generator, new ServerOptions { LoggerFactory = logs });
/// </code>
/// </summary>
/// <param name="writer">Where the lines go; the provider does not dispose it.</param>
/// <param name="timeProvider">Clock of the timestamps, in its local time zone (default: the system clock).</param>
public sealed class TextWriterLoggerProvider(TextWriter writer, TimeProvider? timeProvider = null) : ILoggerProvider
{
    private readonly TextWriter _writer = writer ?? throw new ArgumentNullException(nameof(writer));
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new WriterLogger(this);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Write(LogLevel level, string message, Exception? exception)
    {
        var prefix = level >= LogLevel.Warning ? $"{level.ToString().ToLowerInvariant()}: " : "";
        lock (_gate)
        {
            _writer.WriteLine($"{_time.GetLocalNow():HH:mm:ss} {prefix}{message}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
            _writer.Flush();
        }
    }

    private sealed class WriterLogger(TextWriterLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
                owner.Write(logLevel, formatter(state, exception), exception);
        }
    }
}
