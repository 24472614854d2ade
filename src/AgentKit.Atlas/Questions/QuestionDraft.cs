namespace AgentKit.Atlas.Questions;

/// <summary>A question before it gets an id and a split.</summary>
internal sealed record QuestionDraft(
    string Question,
    string Answer,
    string Family,
    string Kind,
    string Template,
    IReadOnlyList<string> Entities,
    double? Tolerance,
    IReadOnlyDictionary<string, string> Params);

/// <summary>What a family draws from: the data, the countries of one split, and the question set (which phrasings are allowed).</summary>
internal sealed record DraftContext(Data.AtlasData Data, IReadOnlyList<Data.CountryFacts> Countries, DraftMode Mode, int MaxCitiesPerCountry, Random Random)
{
    /// <summary>A random element.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Random.Next(items.Count)];

    /// <summary>A random template among those <see cref="Mode"/> allows (<see cref="DraftModes.Allows"/>).</summary>
    public PhrasingTemplate PickTemplate(IEnumerable<PhrasingTemplate> templates) =>
        Pick(templates.Where(t => Mode.Allows(t)).ToList());

    /// <summary><paramref name="count"/> distinct random countries satisfying <paramref name="filter"/>, or null when too few do.</summary>
    public IReadOnlyList<Data.CountryFacts>? PickCountries(int count, Func<Data.CountryFacts, bool> filter)
    {
        var pool = Countries.Where(filter).ToList();
        if (pool.Count < count)
            return null;
        var chosen = new List<Data.CountryFacts>();
        while (chosen.Count < count)
        {
            var c = Pick(pool);
            if (!chosen.Contains(c))
                chosen.Add(c);
        }
        return chosen;
    }
}

/// <summary>A question family: its phrasings and how it draws one question.</summary>
internal interface IQuestionFamily
{
    /// <summary>One of <see cref="QuestionFamilies"/>.</summary>
    string Name { get; }

    /// <summary>Every phrasing the family uses.</summary>
    IReadOnlyList<PhrasingTemplate> Templates { get; }

    /// <summary>Draws one question, or null when the random draw is not usable (missing data, a tie…).</summary>
    QuestionDraft? TryDraw(DraftContext context);
}
