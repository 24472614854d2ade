namespace AgentKit.Core.Scoring.Benchmarks;

/// <summary>Where <see cref="MathAnswerExtractor"/> found an answer.</summary>
public enum AnswerSource
{
    /// <summary>The content of the last <c>\boxed{…}</c> (or <c>\fbox{…}</c>).</summary>
    Boxed,

    /// <summary>The text after the last "final answer:" / "answer:" / "answer is" marker.</summary>
    Marker,

    /// <summary>The whole text, which reads as one mathematical expression rather than prose.</summary>
    WholeText,

    /// <summary>The last number in prose (the weakest fallback).</summary>
    LastNumber,
}

/// <summary>An answer taken out of a longer text.</summary>
/// <param name="Answer">The answer text, trimmed.</param>
/// <param name="Source">Where it was found.</param>
public sealed record ExtractedAnswer(string Answer, AnswerSource Source);
