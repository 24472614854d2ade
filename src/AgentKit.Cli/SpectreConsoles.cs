using AgentKit.Core.Display;
using Spectre.Console;

namespace AgentKit.Cli;

/// <summary>Spectre consoles over the writers a verb was given, so output goes where <see cref="CliApp.RunAsync"/> says.</summary>
internal static class SpectreConsoles
{
    /// <summary>
    /// A console writing to <paramref name="writer"/>. Colours and live redrawing (progress bars) are used only when
    /// the writer is the real stdout/stderr attached to a terminal; captured writers get plain text.
    /// </summary>
    public static IAnsiConsole For(TextWriter writer)
    {
        var terminal = IsTerminal(writer);
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    /// <summary>True when <paramref name="writer"/> is the process's stdout or stderr and that is a terminal, not a pipe or file.</summary>
    public static bool IsTerminal(TextWriter writer) =>
        (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
        || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);

    /// <summary>
    /// Untrusted text (model output, answers, task text, passages) as Spectre markup: terminal controls escaped
    /// (<see cref="TerminalText.Escape"/>), then markup brackets.
    /// </summary>
    public static string SafeMarkup(string? text) => Markup.Escape(TerminalText.Escape(text));
}
