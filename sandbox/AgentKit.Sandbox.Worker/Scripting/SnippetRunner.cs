using System.Diagnostics;
using System.Globalization;
using AgentKit.Sandbox.Protocol;
using AgentKit.Sandbox.Scripting;
using AgentKit.Sandbox.Worker.Output;

namespace AgentKit.Sandbox.Worker.Scripting;

/// <summary>Runs one snippet in a context and turns whatever happened into a result message.</summary>
internal sealed class SnippetRunner(CappedWriter capture, WorkerSettings settings)
{
    /// <summary>Runs <paramref name="image"/> (compiled and checked by the host); never throws for anything the snippet does.</summary>
    public WorkerReply Run(ScriptContext context, LoadedImage image)
    {
        capture.Reset();
        context.Globals.ResetFinalAnswer();
        ResetAmbientState();

        var status = WorkerProtocol.Statuses.Ok;
        object? value = null;
        string? error = null;
        int? line = null, column = null;
        var recycle = false;
        try
        {
            value = context.Execute(image);
        }
        catch (FinalAnswerSignal)
        {
            // FinalAnswer(...) ends the snippet early; the answer is already recorded.
        }
        catch (OutOfMemoryException)
        {
            // The snippet's state may still hold the memory: drop it, and let the host replace this process.
            context.Dispose();
            GC.Collect();
            status = WorkerProtocol.Statuses.MemoryLimit;
            error = $"The snippet exceeded the sandbox memory limit ({settings.MemoryLimitMb} MB).";
            recycle = true;
        }
        catch (Exception ex)
        {
            status = WorkerProtocol.Statuses.RuntimeError;
            (line, column) = SnippetPosition(ex);
            error = TextCap.Cut(Describe(ex, line), settings.MaxOutputChars);
        }

        var output = capture.Reset();
        if (status == WorkerProtocol.Statuses.Ok && capture.Truncated) status = WorkerProtocol.Statuses.OutputTruncated;
        var truncated = output.Length >= settings.MaxOutputChars;
        if (status == WorkerProtocol.Statuses.Ok && truncated) status = WorkerProtocol.Statuses.OutputTruncated;
        var finalAnswer = context.Globals.FinalAnswerText;
        string? returnValue = null;
        if (status is WorkerProtocol.Statuses.Ok or WorkerProtocol.Statuses.OutputTruncated && finalAnswer is null && image.HasResult)
            returnValue = SafeRender(value);

        return new WorkerReply
        {
            Kind = WorkerProtocol.Replies.Result,
            Status = status,
            Output = output,
            ReturnValue = returnValue,
            Error = error,
            Line = line,
            Column = column,
            FinalAnswer = finalAnswer,
            Recycle = recycle,
        };
    }

    // Snippets from different sessions share this process: undo the ambient state a snippet may set.
    private static void ResetAmbientState()
    {
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentCulture = null;
        CultureInfo.DefaultThreadCurrentUICulture = null;
    }

    private string SafeRender(object? value)
    {
        try
        {
            return ValueRenderer.Render(value, settings.MaxOutputChars);
        }
        catch (Exception ex)
        {
            return $"<could not render the value: {ex.GetType().Name}: {ex.Message}>";
        }
    }

    private static string Describe(Exception ex, int? line)
    {
        var message = $"{ex.GetType().Name}: {ex.Message}";
        if (ex.InnerException is { } inner) message += $" ---> {inner.GetType().Name}: {inner.Message}";
        return line is null ? message : $"{message} (line {line})";
    }

    /// <summary>The innermost stack frame in snippet code (from the embedded debug symbols).</summary>
    private static (int? Line, int? Column) SnippetPosition(Exception ex)
    {
        try
        {
            foreach (var frame in new StackTrace(ex, fNeedFileInfo: true).GetFrames())
            {
                if (frame.GetFileName() == SnippetSource.Path && frame.GetFileLineNumber() > 0)
                    return (frame.GetFileLineNumber(), frame.GetFileColumnNumber());
            }
        }
        catch (Exception)
        {
            // Symbols are a convenience; an error without a line is still an error.
        }
        return (null, null);
    }
}
