using AgentKit.Atlas.Questions;

namespace AgentKit.Atlas.Data;

/// <summary>What goes into a GRPO agent folder over the atlas (<see cref="AtlasRlSetWriter"/>). Validated by <see cref="Validate"/>.</summary>
public sealed record AtlasRlSetOptions
{
    /// <summary>Invented countries added to the real ones (default 200; 10 to 5,000).</summary>
    public int Countries { get; init; } = 200;

    /// <summary>Seed of the invented atlas, its questions, the choice of the other questions and the final order (default 23).</summary>
    public int Seed { get; init; } = 23;

    /// <summary>Questions per answerable family generated over the invented atlas, before the choice (default 100; 1 to 100,000).</summary>
    public int PerFamily { get; init; } = 100;

    /// <summary>
    /// The families every question of which is taken, real and invented (default comparison): the ones the policy is to
    /// get better at. Names from <see cref="QuestionFamilies.Answerable"/>, at least one, no repeats.
    /// </summary>
    public IReadOnlyList<string> Focus { get; init; } = [QuestionFamilies.Comparison];

    /// <summary>
    /// Real questions of the other families taken beside the focus ones (default 80; 0 to 100,000), spread evenly over
    /// those families; as many invented ones as real ones taken are added.
    /// </summary>
    public int Others { get; init; } = 80;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public AtlasRlSetOptions Validate()
    {
        if (Countries is < 10 or > 5_000)
            throw new ArgumentException($"Countries must be between 10 and 5000, got {Countries}.");
        if (PerFamily is < 1 or > 100_000)
            throw new ArgumentException($"PerFamily must be between 1 and 100000, got {PerFamily}.");
        if (Others is < 0 or > 100_000)
            throw new ArgumentException($"Others must be between 0 and 100000, got {Others}.");
        ArgumentNullException.ThrowIfNull(Focus);
        if (Focus.Count == 0)
            throw new ArgumentException($"Focus must name at least one family of: {string.Join(", ", QuestionFamilies.Answerable)}.");
        foreach (var family in Focus)
        {
            if (!QuestionFamilies.Answerable.Contains(family))
                throw new ArgumentException($"Focus: unknown family '{family}'; known: {string.Join(", ", QuestionFamilies.Answerable)}.");
        }
        if (Focus.Distinct(StringComparer.Ordinal).Count() != Focus.Count)
            throw new ArgumentException($"Focus names a family twice: {string.Join(", ", Focus)}.");
        return this;
    }
}
