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
        var terminal = (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected)
                       || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }
}
