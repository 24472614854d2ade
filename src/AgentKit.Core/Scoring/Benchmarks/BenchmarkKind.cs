namespace AgentKit.Core.Scoring.Benchmarks;

/// <summary>How a benchmark set is scored.</summary>
public enum BenchmarkKind
{
    /// <summary>Factual questions (HotpotQA, MuSiQue, 2WikiMultihopQA, Bamboogle…): exact match and token F1 (<see cref="QaScorer"/>).</summary>
    Qa,

    /// <summary>Math problems (MATH, GSM-Hard, AIME, OlymMATH…): answer extraction and equivalence (<see cref="MathEquivalence"/>).</summary>
    Math,
}

/// <summary>Tells a set's kind from its name.</summary>
public static class BenchmarkKinds
{
    private static readonly string[] MathNames = ["math", "gsm", "aime", "olym", "amc", "aqua", "svamp"];
    private static readonly string[] QaNames = ["qa", "hotpot", "musique", "wiki", "bamboogle", "trivia", "squad", "natural_questions", "popqa"];

    /// <summary>
    /// The kind of a set named <paramref name="name"/> (case-insensitive): names containing math, gsm, aime, olym, amc, aqua
    /// or svamp are <see cref="BenchmarkKind.Math"/> ("MATH", "GSM-hard", "AIME", "OlymMATH"); names containing qa, hotpot,
    /// musique, wiki, bamboogle, trivia, squad, natural_questions or popqa are <see cref="BenchmarkKind.Qa"/> ("hotpotqa/hotpot_qa",
    /// "dgslibisey/MuSiQue", "2wikimultihopqa", "chiayewken/bamboogle"). False for any other name.
    /// </summary>
    public static bool TryInfer(string? name, out BenchmarkKind kind)
    {
        kind = BenchmarkKind.Qa;
        if (string.IsNullOrWhiteSpace(name))
            return false;
        var lower = name.ToLowerInvariant();
        if (MathNames.Any(lower.Contains))
        {
            kind = BenchmarkKind.Math;
            return true;
        }
        return QaNames.Any(lower.Contains);
    }

    /// <summary>Reads "qa" or "math" (case-insensitive), as a command-line flag gives it.</summary>
    public static bool TryParse(string? text, out BenchmarkKind kind)
    {
        kind = BenchmarkKind.Qa;
        switch (text?.Trim().ToLowerInvariant())
        {
            case "qa":
                return true;
            case "math":
                kind = BenchmarkKind.Math;
                return true;
            default:
                return false;
        }
    }
}
