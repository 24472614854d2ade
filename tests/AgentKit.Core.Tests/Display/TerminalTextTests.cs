using AgentKit.Core.Display;

namespace AgentKit.Core.Tests.Display;

public class TerminalTextTests
{
    [Theory]
    [InlineData("\u001b[2J\u001b[31mred", "\\x1b[2J\\x1b[31mred")]       // clear screen, colour
    [InlineData("\u001b]0;pwned\u0007", "\\x1b]0;pwned\\x07")]           // OSC window title, BEL
    [InlineData("a\0b", "a\\x00b")]                                         // NUL
    [InlineData("over\rwrite", "over\\x0dwrite")]                           // a lone CR rewrites the line
    [InlineData("back\bspace\u007f", "back\\x08space\\x7f")]                // BS, DEL
    [InlineData("c1\u009b31m", "c1\\x9b31m")]                               // one-byte CSI
    [InlineData("abc\u202edcba", "abc\\u202edcba")]                         // right-to-left override
    [InlineData("\u2066x\u2069\u200f", "\\u2066x\\u2069\\u200f")]           // isolates, RLM
    public void Controls_become_visible_escapes(string text, string expected) =>
        Assert.Equal(expected, TerminalText.Escape(text));

    [Fact]
    public void Newlines_tabs_and_ordinary_text_are_kept()
    {
        const string text = "Thought: ça va\n\tcode → 42 — 東京 🚀";
        Assert.Same(text, TerminalText.Escape(text));
        Assert.True(TerminalText.IsSafe(text));
        Assert.Equal("a\nb\n", TerminalText.Escape("a\r\nb\r\n"));
        Assert.Equal("", TerminalText.Escape(null));
    }

    [Fact]
    public void No_control_character_survives()
    {
        var all = new string([.. Enumerable.Range(0, 0x3000).Select(i => (char)i).Where(c => !char.IsSurrogate(c))]);
        var escaped = TerminalText.Escape(all);
        Assert.True(TerminalText.IsSafe(escaped));
        Assert.DoesNotContain(escaped, c => char.IsControl(c) && c is not '\n' and not '\t');
        Assert.DoesNotContain(escaped, c => c is '\u202e' or '\u202d' or '\u2067');
    }
}
