namespace AgentKit.Atlas.Questions;

/// <summary>
/// One generated question: a JSONL line <c>{"id","question","answer","family","split","entities",…}</c>
/// (the runtime reads only id, question and answer). <see cref="Kind"/> and <see cref="Params"/> are what the
/// teacher plans from; the gold <see cref="Answer"/> is computed from the source data, never by a model.
/// </summary>
public sealed record AtlasQuestion
{
    /// <summary>Unique id, e.g. <c>lookup-train-0042</c> (rephrased questions: <c>lookup-rephrased-0042</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The question text.</summary>
    public required string Question { get; init; }

    /// <summary>The gold answer ("not found" for bad questions). Numbers use invariant culture, no separators.</summary>
    public required string Answer { get; init; }

    /// <summary>One of <see cref="QuestionFamilies"/>.</summary>
    public required string Family { get; init; }

    /// <summary><see cref="QuestionSplits.Train"/> or <see cref="QuestionSplits.Test"/>.</summary>
    public required string Split { get; init; }

    /// <summary>The countries the question is about (by canonical name); a question's countries all belong to its split.</summary>
    public required IReadOnlyList<string> Entities { get; init; }

    /// <summary>The precise sub-kind, e.g. <c>lookup</c>, <c>bridge-capital</c>, <c>density</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Id of the phrasing template used (held-out templates appear only in the test split, rephrasing templates only in the rephrased set).</summary>
    public required string Template { get; init; }

    /// <summary>Relative tolerance for numeric answers (0 = exact); null for text answers.</summary>
    public double? Tolerance { get; init; }

    /// <summary>The slots the teacher plans from, e.g. <c>{"fact": "currency", "capital": "Lima"}</c>.</summary>
    public IReadOnlyDictionary<string, string> Params { get; init; } = new Dictionary<string, string>();

    /// <summary>The value of slot <paramref name="name"/>.</summary>
    /// <exception cref="InvalidDataException">The question lacks the slot.</exception>
    public string Param(string name) =>
        Params.TryGetValue(name, out var value) ? value : throw new InvalidDataException($"Question {Id} ({Kind}) has no \"{name}\" parameter.");
}

/// <summary>The question families.</summary>
public static class QuestionFamilies
{
    /// <summary>One fact of one country.</summary>
    public const string Lookup = "lookup";

    /// <summary>Two hops: from a capital or city to its country, then a fact of that country.</summary>
    public const string Bridge = "bridge";

    /// <summary>Which of two countries has the larger/smaller value.</summary>
    public const string Comparison = "comparison";

    /// <summary>Arithmetic over retrieved facts (density, sums, differences, ratios, year gaps).</summary>
    public const string Arithmetic = "arithmetic";

    /// <summary>Counting over a small set of countries.</summary>
    public const string Set = "set";

    /// <summary>Unanswerable input (empty, gibberish, another language, a country that does not exist).</summary>
    public const string Bad = "bad";

    /// <summary>The answerable families, in generation order.</summary>
    public static IReadOnlyList<string> Answerable { get; } = [Lookup, Bridge, Comparison, Arithmetic, Set];
}

/// <summary>The splits.</summary>
public static class QuestionSplits
{
    /// <summary>Training questions: training countries and training phrasings only.</summary>
    public const string Train = "train";

    /// <summary>Held-out questions: countries never seen in train; any phrasing, including held-out ones.</summary>
    public const string Test = "test";
}
