namespace AgentKit.Atlas.Questions;

/// <summary>
/// One way of asking a question. Slots are written <c>{name}</c> and filled by <see cref="Fill"/>.
/// A <see cref="HeldOut"/> template is only used in the test split, to measure generalisation to new wording.
/// </summary>
/// <param name="Id">Unique id within the generator, e.g. <c>lookup.g3</c>.</param>
/// <param name="Text">The text with slots.</param>
/// <param name="HeldOut">True when the template is reserved for the test split.</param>
public sealed record PhrasingTemplate(string Id, string Text, bool HeldOut = false)
{
    /// <summary>The text with every <c>{slot}</c> replaced.</summary>
    /// <exception cref="InvalidOperationException">A slot is left unfilled.</exception>
    public string Fill(IReadOnlyDictionary<string, string> slots)
    {
        var text = Text;
        foreach (var (name, value) in slots)
            text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        if (text.Contains('{'))
            throw new InvalidOperationException($"Template {Id} has an unfilled slot: {text}");
        // A slot value at the start of a sentence ("{attr} of ...") must start upper case.
        return char.ToUpperInvariant(text[0]) + text[1..];
    }
}
