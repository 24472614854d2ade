namespace AgentKit.Atlas.Questions;

/// <summary>How many questions to generate and how to split them. Validated by <see cref="Validate"/> when a generator is created.</summary>
public sealed record QuestionGeneratorOptions
{
    /// <summary>Seed of every random choice, including which countries are held out (default 7).</summary>
    public int Seed { get; init; } = 7;

    /// <summary>Training questions per answerable family (default 400; 0 to 100,000).</summary>
    public int TrainPerFamily { get; init; } = 400;

    /// <summary>Test questions per answerable family (default 40; 0 to 100,000).</summary>
    public int TestPerFamily { get; init; } = 40;

    /// <summary>Rephrased questions per answerable family, for RL (<see cref="AtlasQuestionGenerator.GenerateRephrasings"/>; default 100; 0 to 100,000).</summary>
    public int RephrasedPerFamily { get; init; } = 100;

    /// <summary>Bad (unanswerable) training questions (default 40).</summary>
    public int BadTrain { get; init; } = 40;

    /// <summary>Bad test questions, including one empty question (default 12).</summary>
    public int BadTest { get; init; } = 12;

    /// <summary>Share of the question countries held out for the test split, in percent (default 20; 5 to 50).</summary>
    public int TestCountryPercent { get; init; } = 20;

    /// <summary>Must equal the corpus's <see cref="Corpus.AtlasCorpusOptions.MaxCitiesPerCountry"/>, so city questions only name cities that have a passage (default 25).</summary>
    public int MaxCitiesPerCountry { get; init; } = 25;

    /// <summary>Throws <see cref="ArgumentException"/> explaining the first invalid setting.</summary>
    public QuestionGeneratorOptions Validate()
    {
        if (TrainPerFamily is < 0 or > 100_000 || TestPerFamily is < 0 or > 100_000)
            throw new ArgumentException($"TrainPerFamily and TestPerFamily must be between 0 and 100000, got {TrainPerFamily} and {TestPerFamily}.");
        if (RephrasedPerFamily is < 0 or > 100_000)
            throw new ArgumentException($"RephrasedPerFamily must be between 0 and 100000, got {RephrasedPerFamily}.");
        if (BadTrain is < 0 or > 10_000 || BadTest is < 0 or > 10_000)
            throw new ArgumentException($"BadTrain and BadTest must be between 0 and 10000, got {BadTrain} and {BadTest}.");
        if (TestCountryPercent is < 5 or > 50)
            throw new ArgumentException($"TestCountryPercent must be between 5 and 50, got {TestCountryPercent}.");
        if (MaxCitiesPerCountry < 0)
            throw new ArgumentException($"MaxCitiesPerCountry must be >= 0, got {MaxCitiesPerCountry}.");
        return this;
    }
}
