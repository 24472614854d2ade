using Microsoft.Extensions.Logging;

namespace AgentKit.Models.LlamaSharp;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "llama.cpp: {Message}")]
    public static partial void NativeWarning(ILogger logger, string message);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "llama.cpp: {Message}")]
    public static partial void NativeError(ILogger logger, string message);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Loaded {Model}: architecture {Architecture}, {Parameters} parameters, in {ElapsedMs:F0} ms")]
    public static partial void ModelLoaded(ILogger logger, string model, string architecture, long parameters, double elapsedMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "The chat template of {Model} is not one llama.cpp can apply; rendering messages as ChatML instead")]
    public static partial void TemplateFallback(ILogger logger, string model, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Generated {Candidates} candidates, {Tokens} tokens after a {PromptTokens}-token prompt in {ElapsedMs:F0} ms")]
    public static partial void Generated(ILogger logger, int candidates, int tokens, int promptTokens, double elapsedMs);
}
