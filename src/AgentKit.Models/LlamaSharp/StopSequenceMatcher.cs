using System.Text;

namespace AgentKit.Models.LlamaSharp;

/// <summary>
/// Accumulates a candidate's text and cuts it at the first stop sequence. Text that could still turn out to be
/// the start of a stop sequence is held back from streaming, so a stop sequence is never shown and then retracted.
/// </summary>
internal sealed class StopSequenceMatcher(IReadOnlyList<string> stops)
{
    private readonly StringBuilder _text = new();
    private readonly int _longestStop = stops.Count == 0 ? 0 : stops.Max(s => s.Length);
    private int _emitted;

    /// <summary>True once a stop sequence was found; <see cref="Text"/> then ends just before it.</summary>
    public bool Stopped { get; private set; }

    /// <summary>The text so far, cut before the stop sequence once <see cref="Stopped"/>.</summary>
    public string Text => _text.ToString();

    /// <summary>Adds newly decoded text; returns the text that is now safe to show.</summary>
    public string Append(string piece)
    {
        if (Stopped)
            throw new InvalidOperationException("The candidate already stopped.");
        // A match not found before must end inside the new piece, so it starts at most longestStop-1 chars earlier.
        var searchFrom = Math.Max(_emitted, _text.Length - _longestStop + 1);
        _text.Append(piece);
        if (_longestStop == 0)
            return TakeUpTo(_text.Length);

        var text = _text.ToString();
        var cut = -1;
        foreach (var stop in stops)
        {
            var index = text.IndexOf(stop, Math.Max(0, searchFrom), StringComparison.Ordinal);
            if (index >= 0 && (cut < 0 || index < cut))
                cut = index;
        }
        if (cut >= 0)
        {
            Stopped = true;
            var safe = TakeUpTo(cut);
            _text.Length = cut;
            return safe;
        }
        return TakeUpTo(_text.Length - HeldBack(text));
    }

    /// <summary>Releases any held-back text (at the end of a candidate that did not hit a stop sequence).</summary>
    public string Flush() => TakeUpTo(_text.Length);

    private int HeldBack(string text)
    {
        // Longest suffix of the text that is a proper prefix of some stop sequence.
        for (var length = Math.Min(_longestStop - 1, text.Length - _emitted); length > 0; length--)
        {
            var suffix = text.AsSpan(text.Length - length);
            foreach (var stop in stops)
                if (stop.Length > length && stop.AsSpan().StartsWith(suffix, StringComparison.Ordinal))
                    return length;
        }
        return 0;
    }

    private string TakeUpTo(int end)
    {
        if (end <= _emitted)
            return "";
        var piece = _text.ToString(_emitted, end - _emitted);
        _emitted = end;
        return piece;
    }
}
