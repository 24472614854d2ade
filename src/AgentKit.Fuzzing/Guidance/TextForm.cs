using System.Text;
using System.Text.Unicode;
using AgentKit.Fuzzing.Execution;

namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// Inputs as a model can read and write them. Mutation leaves invalid UTF-8 in most inputs of a text campaign (85% of
/// the corpus of three json campaigns, over half of their hindsight questions), and such a seed or answer could only be
/// shown as base64, which a small model cannot edit. A text harness decodes its input with <see cref="Encoding.UTF8"/>,
/// so the parser never sees those bytes, only U+FFFD in their place: re-encoding the decoded text gives an input that
/// runs the same way. Whether it does is measured, not assumed (a harness may read bytes): the text form stands in for
/// the input only where the twin runs it through exactly the same blocks.
/// </summary>
public static class TextForm
{
    /// <summary>True when <paramref name="bytes"/> is valid UTF-8.</summary>
    public static bool IsUtf8(ReadOnlySpan<byte> bytes) => Utf8.IsValid(bytes); // no exception per invalid input: most are

    /// <summary>
    /// The text a UTF-8 decoding harness reads from <paramref name="input"/>, re-encoded: each invalid sequence becomes
    /// U+FFFD. Null when <paramref name="input"/> is valid UTF-8 already (it is its own text form).
    /// </summary>
    public static byte[]? Of(byte[] input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return IsUtf8(input) ? null : Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(input));
    }

    /// <summary>
    /// Runs <paramref name="input"/> on <paramref name="runner"/> and returns the input to show a model with the blocks it
    /// covers: its text form when that runs exactly the same blocks, else the input itself.
    /// </summary>
    public static (byte[] Input, IReadOnlySet<int> Blocks) Replay(BlockCoverageRunner runner, byte[] input)
    {
        ArgumentNullException.ThrowIfNull(runner);
        var blocks = runner.Run(input).Blocks;
        return Of(input) is { } text && runner.Run(text).Blocks.SetEquals(blocks) ? (text, blocks) : (input, blocks);
    }
}
