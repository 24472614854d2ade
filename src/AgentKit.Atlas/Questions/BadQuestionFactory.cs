using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Data;

namespace AgentKit.Atlas.Questions;

/// <summary>
/// Questions the atlas cannot answer, whose gold answer is <see cref="NotFoundAnswer"/>: a lookup about a country
/// that does not exist, gibberish, off-topic questions in another language, and (test split only) the empty question.
/// </summary>
internal sealed class BadQuestionFactory(AtlasData data)
{
    /// <summary>The honest answer expected for a bad question.</summary>
    public const string NotFoundAnswer = "not found";

    private static readonly string[] s_prefixes = ["Zu", "Kal", "Vor", "Bel", "Tra", "Mor", "Quen", "Dra", "Sel", "Ost", "Ny", "Fen", "Gal", "Ith", "Bry", "Um"];
    private static readonly string[] s_middles = ["bro", "lan", "ta", "mi", "ri", "go", "sa", "ve", "dor", "ke"];
    private static readonly string[] s_suffixes = ["via", "dria", "stan", "land", "nia", "mark", "ora", "esia", "heim", "ovo"];
    private const string Consonants = "bcdfghjklmnpqrstvwxz";

    private static readonly string[] s_foreignTrain =
    [
        "Wie heißt der Hund meines Nachbarn?",
        "Quelle est la couleur préférée de ma sœur ?",
        "¿A qué hora sale mañana el autobús?",
        "Qual è il mio numero di telefono?",
        "Wat heb ik gisteren gegeten?",
        "Ile lat ma mój dziadek?",
        "Onde deixei as minhas chaves?",
        "Hur mycket kostar en kopp kaffe på mitt kontor?",
    ];

    private static readonly string[] s_foreignTest =
    [
        "Welche Farbe hat mein Fahrrad?",
        "Combien de frères a mon voisin ?",
        "¿Cómo se llama el gato de mi tía?",
        "Dove ho parcheggiato la macchina ieri?",
    ];

    private readonly HashSet<string> _knownWords = KnownWords(data);

    /// <summary>Draws <paramref name="count"/> bad questions for a split (texts distinct from <paramref name="taken"/>, which is updated).</summary>
    public IReadOnlyList<QuestionDraft> Draw(int count, bool test, Random random, ISet<string> taken)
    {
        var drafts = new List<QuestionDraft>();
        void Add(QuestionDraft d)
        {
            if (drafts.Count < count && taken.Add(d.Question.Trim().ToLowerInvariant()))
                drafts.Add(d);
        }
        if (test)
            Add(Draft("", "bad-empty", "bad.empty", new Dictionary<string, string>()));
        foreach (var question in test ? s_foreignTest : s_foreignTrain)
        {
            if (drafts.Count < count / 4 + (test ? 1 : 0))
                Add(Draft(question, "bad-foreign", "bad.foreign", new Dictionary<string, string> { ["query"] = question }));
        }
        for (var attempt = 0; drafts.Count < count && attempt < count * 100; attempt++)
        {
            if (random.Next(3) == 0)
                Add(Gibberish(random));
            else if (FakeCountry(random, test) is { } fake)
                Add(fake);
        }
        return drafts;
    }

    private QuestionDraft? FakeCountry(Random random, bool test)
    {
        var name = s_prefixes[random.Next(s_prefixes.Length)] + (random.Next(2) == 0 ? s_middles[random.Next(s_middles.Length)] : "") + s_suffixes[random.Next(s_suffixes.Length)];
        if (_knownWords.Contains(name.ToLowerInvariant()))
            return null; // must not exist anywhere in the atlas
        var fact = AtlasFact.All[random.Next(AtlasFact.All.Count)];
        var mode = test ? DraftMode.Test : DraftMode.Train;
        var templates = LookupFamily.TemplatesFor(fact).Where(t => mode.Allows(t)).ToList();
        var template = templates[random.Next(templates.Count)];
        var phrases = FactPhrases.For(fact);
        var text = template.Fill(new Dictionary<string, string> { ["attr"] = phrases[random.Next(phrases.Count)], ["country"] = name });
        return Draft(text, "bad-fake-country", template.Id, new Dictionary<string, string> { ["fact"] = fact.Key, ["country"] = name });
    }

    private static QuestionDraft Gibberish(Random random)
    {
        var words = Enumerable.Range(0, 2 + random.Next(3))
            .Select(_ => new string(Enumerable.Range(0, 4 + random.Next(4)).Select(_ => Consonants[random.Next(Consonants.Length)]).ToArray()));
        var text = string.Join(' ', words) + (random.Next(2) == 0 ? "?" : "");
        return Draft(text, "bad-gibberish", "bad.gibberish", new Dictionary<string, string> { ["query"] = text });
    }

    private static QuestionDraft Draft(string text, string kind, string template, Dictionary<string, string> parameters) =>
        new(text, NotFoundAnswer, QuestionFamilies.Bad, kind, template, [], null, parameters);

    private static HashSet<string> KnownWords(AtlasData data)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in data.Countries)
        {
            foreach (var text in (IEnumerable<string?>)[c.Name, c.Capital, .. c.Cities, .. c.Languages, c.CurrencyName])
            {
                foreach (var word in (text ?? "").Split([' ', '-', '\''], StringSplitOptions.RemoveEmptyEntries))
                    words.Add(word.ToLowerInvariant());
            }
        }
        return words;
    }
}
