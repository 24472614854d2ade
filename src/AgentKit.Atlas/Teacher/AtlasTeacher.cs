using System.Text.RegularExpressions;
using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Questions;
using AgentKit.Core.Actions;

namespace AgentKit.Atlas.Teacher;

/// <summary>
/// The programmatic teacher: for a question and the observations so far, writes the next ideal action
/// (a <c>Thought:</c> line and one <c>csharp</c> block calling <c>Mentions</c>, <c>Search</c> and
/// <c>FinalAnswer</c>). It plans from the question's kind, never from its gold answer, and its code never spells a
/// name from the question: it reads the question through the <c>task</c> variable (see <see cref="TeacherCode"/>).
/// When an observation shows an error or an empty value it ends with an honest "not found".
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
            return GiveUp(observations[^1]);
        observations = [.. observations.Where(o => !IsInfrastructureError(o))];
        var step = observations.Count;
        if (step > 0 && IsFailure(observations[^1]))
            return GiveUp(observations[^1]);
        return question.Kind switch
        {
            "lookup" or "bad-fake-country" => Lookup(question, step),
            "bridge-capital" => Bridge(question, step, observations, "capital", AtlasLinkFacts.CapitalOfPattern, "is the capital of"),
            "bridge-city" => Bridge(question, step, observations, "city", AtlasLinkFacts.CityInPattern, "is a city in"),
            var kind when kind.StartsWith("compare-", StringComparison.Ordinal) => Compare(question, step),
            "density" or "population-sum" or "population-difference" or "area-ratio" or "independence-gap" => Arithmetic(question, step),
            "count-continent" or "count-population" or "count-independence" => Count(question, step, observations),
            "bad-gibberish" or "bad-foreign" or "bad-empty" => Unanswerable(step),
            _ => throw new InvalidDataException($"Question {question.Id}: the teacher has no plan for kind \"{question.Kind}\"."),
        };
    }

    private static string Lookup(AtlasQuestion q, int step)
    {
        var fact = AtlasFact.ByKey(q.Param("fact"));
        if (step == 0)
        {
            return TeacherCode.Action(
                $"I take the passage of the country the task names and read its {FactPhrases.Plain(fact)}.",
                [
                    $"var c = {TeacherCode.Mentioned("country")}[0];",
                    $"var {fact.Variable} = {TeacherCode.Read(fact, "c.Text")};",
                    $"Console.WriteLine({CSharpLiteral.Of(fact.Key + " of ")} + c.Title + \": \" + {fact.Variable});",
                ]);
        }
        return TeacherCode.Action($"The passage gives the {FactPhrases.Plain(fact)}.", [$"FinalAnswer({fact.Variable});"]);
    }

    private static string Bridge(AtlasQuestion q, int step, IReadOnlyList<string> observations, string kind, string pattern, string relation)
    {
        var fact = AtlasFact.ByKey(q.Param("fact"));
        switch (step)
        {
            case 0:
                return TeacherCode.Action(
                    $"First I find the country: I take the passage of the {kind} the task names and read which country it {(kind == "capital" ? "is the capital of" : "is in")}.",
                    [
                        $"var p = {TeacherCode.Mentioned(kind)}[0];",
                        $"var country = Regex.Match(p.Text, @\"{pattern}\").Groups[1].Value;",
                        $"Console.WriteLine(p.Title + {CSharpLiteral.Of($" {relation} ")} + country);",
                    ]);
            case 1:
                var country = LastLine(observations[0]) is var line && line.IndexOf($" {relation} ", StringComparison.Ordinal) is var at and >= 0
                    ? line[(at + relation.Length + 2)..].Trim()
                    : "";
                if (country.Length == 0)
                    return GiveUp(observations[0]);
                return TeacherCode.Action(
                    $"Now I search for that country and read its {FactPhrases.Plain(fact)}.",
                    [
                        $"var c = Search(country + {CSharpLiteral.Of(" " + fact.SearchWords)}, {TeacherCode.K}).First(x => x.Title == country);",
                        $"var {fact.Variable} = {TeacherCode.Read(fact, "c.Text")};",
                        $"Console.WriteLine({CSharpLiteral.Of(fact.Key + " of ")} + country + \": \" + {fact.Variable});",
                    ]);
            default:
                return TeacherCode.Action($"The passage gives the {FactPhrases.Plain(fact)}.", [$"FinalAnswer({fact.Variable});"]);
        }
    }

    /// <summary>
    /// Reads <paramref name="fact"/> of the two countries the task names, in order of mention, into <c>…A</c> and
    /// <c>…B</c>, and works out the result in the same step, into a variable named after it (<c>larger</c>,
    /// <c>sum</c>…): the decision the question asks for is taken next to the question, the operator is written right
    /// after the word that chooses it, and the next step is <c>FinalAnswer</c> of that variable.
    /// </summary>
    private static string ReadBoth(AtlasFact fact, string thought, string result, string label)
    {
        var (va, vb) = (fact.Variable + "A", fact.Variable + "B");
        return TeacherCode.Action(
            thought,
            [
                $"var m = {TeacherCode.Mentioned("country")};",
                $"var {va} = {TeacherCode.Read(fact, "m[0].Text")};",
                $"var {vb} = {TeacherCode.Read(fact, "m[1].Text")};",
                $"var {label} = {result};",
                $"Console.WriteLine(m[0].Title + \": \" + {va} + \", \" + m[1].Title + \": \" + {vb} + {CSharpLiteral.Of($"; {label}: ")} + {label});",
            ]);
    }

    private static string Compare(AtlasQuestion q, int step)
    {
        var fact = AtlasFact.ByKey(q.Param("fact"));
        var larger = q.Param("direction") == "max";
        var word = (fact.Key, larger) switch
        {
            ("independence", true) => "later",
            ("independence", false) => "earlier",
            (_, true) => "larger",
            _ => "smaller",
        };
        if (step > 0)
            return TeacherCode.Action($"The answer is the country with the {word} {FactPhrases.Plain(fact)}.", [$"FinalAnswer({word});"]);
        var (va, vb) = (fact.Variable + "A", fact.Variable + "B");
        return ReadBoth(
            fact,
            $"I read the {FactPhrases.Plain(fact)} of the two countries the task names and keep the one with the {word}.",
            $"{va} {(larger ? ">" : "<")} {vb} ? m[0].Title : m[1].Title",
            word);
    }

    private static string Arithmetic(AtlasQuestion q, int step)
    {
        var (fact, thought, result, label) = q.Kind switch
        {
            "density" => (AtlasFact.Population, "", "", "density"),
            "population-sum" => (AtlasFact.Population, "add them", "populationA + populationB", "sum"),
            "population-difference" => (AtlasFact.Population, "subtract the smaller from the larger", "Math.Abs(populationA - populationB)", "difference"),
            "area-ratio" => (AtlasFact.Area, "divide the first by the second, rounding to 2 decimals", "Math.Round(areaA / areaB, 2)", "ratio"),
            _ => (AtlasFact.Independence, "take the years between them", "Math.Abs(yearA - yearB)", "years"),
        };
        if (step > 0)
            return TeacherCode.Action($"The {label} is the answer.", [$"FinalAnswer({label});"]);
        if (q.Kind == "density")
        {
            return TeacherCode.Action(
                "Population density is population divided by surface area: I read both for the country the task names and divide, rounding to 2 decimals.",
                [
                    $"var c = {TeacherCode.Mentioned("country")}[0];",
                    $"var population = {TeacherCode.Read(AtlasFact.Population, "c.Text")};",
                    $"var area = {TeacherCode.Read(AtlasFact.Area, "c.Text")};",
                    "var density = Math.Round(population / area, 2);",
                    "Console.WriteLine(c.Title + \": population \" + population + \", area \" + area + \"; density: \" + density);",
                ]);
        }
        return ReadBoth(fact, $"I read the {FactPhrases.Plain(fact)} of the two countries the task names and {thought}.", result, label);
    }

    private static string Count(AtlasQuestion q, int step, IReadOnlyList<string> observations)
    {
        if (step > 0)
        {
            return TeacherCode.Action("The count is the answer.", ["FinalAnswer(count);"]);
        }
        var (fact, target, test, what) = q.Kind switch
        {
            "count-continent" => (AtlasFact.Continent, $"var target = {TeacherCode.Continents}.First(x => task.Contains(x));", "continent == target", "are in the continent the task names"),
            "count-population" => (AtlasFact.Population, "var limit = long.Parse(Regex.Match(task, @\"\\d+\").Value) * 1000000;", "population > limit", "have more inhabitants than the task says"),
            _ => (AtlasFact.Independence, "var limit = int.Parse(Regex.Match(task, @\"\\d+\").Value);", "year < limit", "became independent before the year the task gives"),
        };
        return TeacherCode.Action(
            $"I read the {FactPhrases.Plain(fact)} of each country the task names and count those that {what}.",
            [
                target,
                "var count = 0;",
                $"foreach (var c in {TeacherCode.Mentioned("country")})",
                "{",
                $"    var {fact.Variable} = {TeacherCode.Read(fact, "c.Text")};",
                $"    Console.WriteLine(c.Title + \": \" + {fact.Variable});",
                $"    if ({test}) count++;",
                "}",
                "Console.WriteLine(\"count: \" + count);",
            ]);
    }

    private static string Unanswerable(int step)
    {
        if (step == 0)
        {
            return TeacherCode.Action(
                "I look for the countries the task names.",
                [
                    $"var m = {TeacherCode.Mentioned("country")};",
                    "Console.WriteLine(\"countries named: \" + string.Join(\", \", m.Select(x => x.Title)));",
                ]);
        }
        return TeacherCode.Action("The task names no country of the atlas, so the atlas has no answer.", [$"FinalAnswer({CSharpLiteral.Of(NotFound)});"]);
    }

    /// <summary>After an observation that shows an error or an empty value: the honest end.</summary>
    private static string GiveUp(string observation)
    {
        var reason = observation.Contains("Index was outside", StringComparison.Ordinal) || observation.Contains("no matching element", StringComparison.Ordinal)
            ? "The atlas has no passage for what the task names"
            : "The atlas does not state what the task needs";
        return TeacherCode.Action($"{reason}, so I cannot answer from it.", [$"FinalAnswer({CSharpLiteral.Of(NotFound)});"]);
    }

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
