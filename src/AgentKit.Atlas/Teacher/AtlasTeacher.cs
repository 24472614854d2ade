using System.Text.RegularExpressions;
using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Questions;

namespace AgentKit.Atlas.Teacher;

/// <summary>
/// The programmatic teacher: for a question and the observations so far, writes the next ideal action
/// (a <c>Thought:</c> line and one <c>csharp</c> block calling <c>Search</c> and <c>FinalAnswer</c>). It plans
/// from the question's kind and slots, never from its gold answer: in two-hop questions it reads the bridge
/// country from the first observation, and when an observation shows an error or an empty value it ends
/// with an honest "not found". Every plan ends with a <c>FinalAnswer</c> call.
/// </summary>
public sealed partial class AtlasTeacher
{
    /// <summary>The answer the teacher gives when the atlas does not hold what the question needs.</summary>
    public const string NotFound = "not found";

    /// <summary>How often a step that timed out or crashed its worker is written again before the teacher gives up.</summary>
    public const int MaxRetries = 2;

    /// <summary>The next action for <paramref name="question"/> after <paramref name="observations"/> (one per action taken so far).</summary>
    /// <exception cref="InvalidDataException">The question's kind or slots are unknown.</exception>
    public string NextAction(AtlasQuestion question, IReadOnlyList<string> observations)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(observations);
        // A timeout or a crashed worker says nothing about the atlas (a busy machine): the step is written
        // again, as if it had not happened, up to MaxRetries times.
        var retries = observations.Count(IsInfrastructureError);
        if (retries > MaxRetries)
            return GiveUp(question, observations[^1]);
        observations = [.. observations.Where(o => !IsInfrastructureError(o))];
        var step = observations.Count;
        if (step > 0 && IsFailure(observations[^1]))
            return GiveUp(question, observations[^1]);
        return question.Kind switch
        {
            "lookup" or "bad-fake-country" => Lookup(question, step, observations),
            "bridge-capital" => Bridge(question, step, observations, question.Param("capital"), $"{question.Param("capital")} capital", AtlasLinkFacts.CapitalOfPattern, "is the capital of"),
            "bridge-city" => Bridge(question, step, observations, question.Param("city"), question.Param("city"), AtlasLinkFacts.CityInPattern, "is a city in"),
            var kind when kind.StartsWith("compare-", StringComparison.Ordinal) => Compare(question, step, observations),
            "density" or "population-sum" or "population-difference" or "area-ratio" or "independence-gap" => Arithmetic(question, step),
            "count-continent" or "count-population" or "count-independence" => Count(question, step, observations),
            "bad-gibberish" or "bad-foreign" or "bad-empty" => Unanswerable(question, step),
            _ => throw new InvalidDataException($"Question {question.Id}: the teacher has no plan for kind \"{question.Kind}\"."),
        };
    }

    private static string Lookup(AtlasQuestion q, int step, IReadOnlyList<string> observations)
    {
        var fact = AtlasFact.ByKey(q.Param("fact"));
        var country = q.Param("country");
        if (step == 0)
        {
            return TeacherCode.Action(
                $"I need the {FactPhrases.Plain(fact)} of {country}. I will search for {country} and read it from its passage.",
                FetchFact(fact, country, "t", fact.Variable).Append($"Console.WriteLine({TeacherCode.Literal($"{fact.Key} of {country}: ")} + {fact.Variable});"));
        }
        var value = ValueAfterColon(observations[0]);
        return TeacherCode.Action($"The passage says the {FactPhrases.Plain(fact)} of {country} is {value}.", [$"FinalAnswer({fact.Variable});"]);
    }

    private static string Bridge(AtlasQuestion q, int step, IReadOnlyList<string> observations, string place, string query, string pattern, string relation)
    {
        var fact = AtlasFact.ByKey(q.Param("fact"));
        switch (step)
        {
            case 0:
                return TeacherCode.Action(
                    $"First I find the country: I will search for {place} and read which country it belongs to.",
                    [
                        $"var t1 = {TeacherCode.FetchByTitle(query, place)};",
                        $"var country = Regex.Match(t1, @\"{pattern}\").Groups[1].Value;",
                        $"Console.WriteLine({TeacherCode.Literal($"{place} {relation} ")} + country);",
                    ]);
            case 1:
                var prefix = $"{place} {relation} ";
                var line = LastLine(observations[0]);
                var country = line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..].Trim() : "";
                if (country.Length == 0)
                    return GiveUp(q, observations[0]);
                return TeacherCode.Action(
                    $"{place} {relation} {country}. Now I need the {FactPhrases.Plain(fact)} of {country}.",
                    FetchFact(fact, country, "t2", fact.Variable).Append($"Console.WriteLine({TeacherCode.Literal($"{fact.Key} of {country}: ")} + {fact.Variable});"));
            default:
                var value = ValueAfterColon(observations[1]);
                return TeacherCode.Action($"The {FactPhrases.Plain(fact)} is {value}.", [$"FinalAnswer({fact.Variable});"]);
        }
    }

    private static string Compare(AtlasQuestion q, int step, IReadOnlyList<string> observations)
    {
        var fact = AtlasFact.ByKey(q.Param("fact"));
        var larger = q.Param("direction") == "max";
        var (a, b) = (q.Param("a"), q.Param("b"));
        var (va, vb) = (fact.Variable + "A", fact.Variable + "B");
        if (step == 0)
        {
            return TeacherCode.Action(
                $"I need the {FactPhrases.Plain(fact)} of {a} and of {b}. I will read both from their passages.",
                [
                    .. FetchFact(fact, a, "a", va),
                    .. FetchFact(fact, b, "b", vb),
                    $"Console.WriteLine({TeacherCode.Literal($"{a}: ")} + {va} + {TeacherCode.Literal($", {b}: ")} + {vb});",
                ]);
        }
        var comparison = larger ? ">" : "<";
        var word = (fact.Key, larger) switch
        {
            ("independence", true) => "later",
            ("independence", false) => "earlier",
            (_, true) => "larger",
            _ => "smaller",
        };
        return TeacherCode.Action(
            $"{observations[0].Trim()}. The country with the {word} {FactPhrases.Plain(fact)} is the answer.",
            [$"FinalAnswer({va} {comparison} {vb} ? {TeacherCode.Literal(a)} : {TeacherCode.Literal(b)});"]);
    }

    private static string Arithmetic(AtlasQuestion q, int step)
    {
        var a = q.Param("a");
        var b = q.Params.GetValueOrDefault("b");
        switch (q.Kind)
        {
            case "density" when step == 0:
                return TeacherCode.Action(
                    $"Population density is population divided by surface area. I will read both for {a}.",
                    [
                        $"var t = {TeacherCode.FetchByTitle($"{a} population surface area", a)};",
                        $"var population = {TeacherCode.Read(AtlasFact.Population, "t")};",
                        $"var area = {TeacherCode.Read(AtlasFact.Area, "t")};",
                        $"Console.WriteLine({TeacherCode.Literal("population: ")} + population + {TeacherCode.Literal(", area: ")} + area);",
                    ]);
            case "density":
                return TeacherCode.Action("I divide the population by the area and round to 2 decimals.", ["FinalAnswer(Math.Round(population / area, 2));"]);
        }
        var fact = q.Kind switch
        {
            "area-ratio" => AtlasFact.Area,
            "independence-gap" => AtlasFact.Independence,
            _ => AtlasFact.Population,
        };
        var (va, vb) = (fact.Variable + "A", fact.Variable + "B");
        if (step == 0)
        {
            return TeacherCode.Action(
                $"I need the {FactPhrases.Plain(fact)} of {a} and of {b}.",
                [
                    .. FetchFact(fact, a, "a", va),
                    .. FetchFact(fact, b!, "b", vb),
                    $"Console.WriteLine({TeacherCode.Literal($"{a}: ")} + {va} + {TeacherCode.Literal($", {b}: ")} + {vb});",
                ]);
        }
        return q.Kind switch
        {
            "population-sum" => TeacherCode.Action("I add the two populations.", [$"FinalAnswer({va} + {vb});"]),
            "population-difference" => TeacherCode.Action("I subtract the smaller population from the larger one.", [$"FinalAnswer(Math.Abs({va} - {vb}));"]),
            "area-ratio" => TeacherCode.Action($"I divide the area of {a} by the area of {b} and round to 2 decimals.", [$"FinalAnswer(Math.Round({va} / {vb}, 2));"]),
            _ => TeacherCode.Action("The number of years between them is the difference of the two years.", [$"FinalAnswer(Math.Abs({va} - {vb}));"]),
        };
    }

    private static string Count(AtlasQuestion q, int step, IReadOnlyList<string> observations)
    {
        var names = q.Param("countries").Split('|');
        var value = q.Param("value");
        if (step > 0)
        {
            var count = ValueAfterColon(observations[0]);
            return TeacherCode.Action($"{count} of the {names.Length} countries match.", ["FinalAnswer(count);"]);
        }
        var (fact, test, what) = q.Kind switch
        {
            "count-continent" => (AtlasFact.Continent, $"continent == {TeacherCode.Literal(value)}", $"are in {value}"),
            "count-population" => (AtlasFact.Population, $"population > {value}000000", $"have more than {value} million inhabitants"),
            _ => (AtlasFact.Independence, $"year < {value}", $"became independent before {value}"),
        };
        return TeacherCode.Action(
            $"I will read the {FactPhrases.Plain(fact)} of each country and count those that {what}.",
            [
                $"var names = new[] {{ {string.Join(", ", names.Select(TeacherCode.Literal))} }};",
                "var count = 0;",
                "foreach (var n in names)",
                "{",
                $"    var t = Search(n + {TeacherCode.Literal(" " + fact.SearchWords)}, {TeacherCode.K}).First(x => x.Title == n).Text;",
                $"    var {fact.Variable} = {TeacherCode.Read(fact, "t")};",
                $"    Console.WriteLine(n + \": \" + {fact.Variable});",
                $"    if ({test}) count++;",
                "}",
                "Console.WriteLine(\"count: \" + count);",
            ]);
    }

    private static string Unanswerable(AtlasQuestion q, int step)
    {
        var query = q.Params.GetValueOrDefault("query") ?? q.Question;
        if (step == 0)
        {
            return TeacherCode.Action(
                "I will search the atlas for this question and look at the titles of the passages found.",
                [
                    $"var p = Search({TeacherCode.Literal(query)}, {TeacherCode.K});",
                    "Console.WriteLine(p.Length + \" passages: \" + string.Join(\" | \", p.Select(x => x.Title)));",
                ]);
        }
        return TeacherCode.Action("None of these passages is about what the question asks, so the atlas has no answer.", [$"FinalAnswer({TeacherCode.Literal(NotFound)});"]);
    }

    /// <summary>After an observation that shows an error or an empty value: the honest end.</summary>
    private static string GiveUp(AtlasQuestion q, string observation)
    {
        var subject = q.Params.GetValueOrDefault("country") ?? q.Params.GetValueOrDefault("capital") ?? q.Params.GetValueOrDefault("city") ?? "it";
        var reason = observation.Contains("no matching element", StringComparison.OrdinalIgnoreCase)
            ? $"There is no passage titled {subject} in the atlas"
            : "The atlas does not state what the question needs";
        return TeacherCode.Action($"{reason}, so I cannot answer from the atlas.", [$"FinalAnswer({TeacherCode.Literal(NotFound)});"]);
    }

    /// <summary>The statements that fetch <paramref name="country"/>'s passage into <paramref name="textVariable"/> and read <paramref name="fact"/> into <paramref name="valueVariable"/>.</summary>
    private static IEnumerable<string> FetchFact(AtlasFact fact, string country, string textVariable, string valueVariable) =>
    [
        $"var {textVariable} = {TeacherCode.FetchByTitle($"{country} {fact.SearchWords}", country)};",
        $"var {valueVariable} = {TeacherCode.Read(fact, textVariable)};",
    ];

    /// <summary>An observation of a run the machine cut short (timeout, worker crash, memory limit), not a fact about the code.</summary>
    internal static bool IsInfrastructureError(string observation) =>
        observation.Contains("Error (timeout", StringComparison.Ordinal) || observation.Contains("Error (crash", StringComparison.Ordinal)
        || observation.Contains("Error (memory limit", StringComparison.Ordinal);

    /// <summary>An observation that reports an error, or a printed value that came out empty ("capital of X: ").</summary>
    internal static bool IsFailure(string observation) =>
        observation.Contains("Error (", StringComparison.Ordinal) || EmptyValue().IsMatch(observation);

    private static string LastLine(string observation) =>
        observation.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    private static string ValueAfterColon(string observation)
    {
        var line = LastLine(observation);
        var colon = line.LastIndexOf(": ", StringComparison.Ordinal);
        return (colon >= 0 ? line[(colon + 2)..] : line).Trim();
    }

    [GeneratedRegex(@"(^|\n)[^\n]*:\s*($|\n)")]
    private static partial Regex EmptyValue();
}
