namespace AgentKit.Atlas.Questions;

/// <summary>Which question set a phrasing template may appear in.</summary>
public enum TemplateUse
{
    /// <summary>Both splits: the wordings the training (SFT) data uses.</summary>
    Train,

    /// <summary>Only the test split, to measure generalisation to wording never trained on.</summary>
    HeldOut,

    /// <summary>
    /// Only the rephrased set (<see cref="AtlasQuestionGenerator.GenerateRephrasings"/>): wordings that are neither in the
    /// training data nor in the test split, for RL on unfamiliar wording without leaking the test phrasings.
    /// </summary>
    Rephrasing,
}

/// <summary>
/// One way of asking a question. Slots are written <c>{name}</c> and filled by <see cref="Fill"/>.
/// <see cref="Use"/> says which question set the template belongs to.
/// </summary>
/// <param name="Id">Unique id within the generator, e.g. <c>lookup.g3</c> (rephrasings: <c>lookup.r0</c>).</param>
/// <param name="Text">The text with slots.</param>
/// <param name="Use">Where the template may appear (default <see cref="TemplateUse.Train"/>).</param>
public sealed record PhrasingTemplate(string Id, string Text, TemplateUse Use = TemplateUse.Train)
{
    /// <summary>True when the template is reserved for the test split.</summary>
    public bool HeldOut => Use == TemplateUse.HeldOut;

    /// <summary>True when the template is reserved for the rephrased (RL) set.</summary>
    public bool Rephrasing => Use == TemplateUse.Rephrasing;

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
