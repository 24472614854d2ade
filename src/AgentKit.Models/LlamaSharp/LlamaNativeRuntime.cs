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

    // llama.cpp logs on the calling thread, so the reason for a failed load is the last error logged on this thread.
    [ThreadStatic]
    private static string? _lastError;

    /// <summary>Forgets the last native error of this thread; call before a native call whose failure should be explained.</summary>
    public static void ClearLastError() => _lastError = null;

    /// <summary>
    /// llama.cpp's own reason for the last failure on this thread, one line without its function-name prefixes
    /// (e.g. <c>error loading model hyperparameters: invalid n_rot: 16, expected 21</c>), or null.
    /// </summary>
    public static string? LastError => _lastError;

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
        {
            Log.NativeError(_logger, message.TrimEnd());
            Remember(message);
        }
    }

    private static void Remember(string message)
    {
        // "llama_model_load: error loading model: <reason>" carries the reason; the generic
        // "llama_model_load_from_file_impl: failed to load model" that follows it does not.
        const string marker = "error loading model: ";
        var line = message.Trim().ReplaceLineEndings(" ");
        if (line.EndsWith("failed to load model", StringComparison.Ordinal) && _lastError is not null)
            return;
        var at = line.LastIndexOf(marker, StringComparison.Ordinal);
        _lastError = at >= 0 ? line[(at + marker.Length)..] : line;
    }
}
