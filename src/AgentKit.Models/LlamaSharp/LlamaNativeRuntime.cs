using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace AgentKit.Models.LlamaSharp;

/// <summary>
/// One-time setup of the native llama.cpp library: route its log (which otherwise goes straight to stderr,
/// corrupting machine-readable CLI output) to an <see cref="ILogger"/>, then force the library to load so a
/// missing or incompatible native binary fails here with a clear message.
/// </summary>
internal static class LlamaNativeRuntime
{
    private static readonly Lock Gate = new();
    private static bool _loaded;
    private static ILogger _logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public static void EnsureLoaded(ILogger logger)
    {
        lock (Gate)
        {
            _logger = logger;
            if (_loaded)
                return;
            try
            {
                NativeLogConfig.llama_log_set(Forward);
                NativeApi.llama_empty_call();
            }
            catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException or BadImageFormatException or RuntimeError)
            {
                throw new InvalidOperationException(
                    "The native llama.cpp library could not be loaded. Check that a LLamaSharp backend package " +
                    "(LLamaSharp.Backend.Cpu by default) matches this platform: " + ex.Message, ex);
            }
            _loaded = true;
        }
    }

    private static void Forward(LLamaLogLevel level, string message)
    {
        // llama.cpp is chatty at Info level (every tensor, every context); keep only what needs attention.
        if (level is LLamaLogLevel.Warning)
            Log.NativeWarning(_logger, message.TrimEnd());
        else if (level is LLamaLogLevel.Error)
            Log.NativeError(_logger, message.TrimEnd());
    }
}
