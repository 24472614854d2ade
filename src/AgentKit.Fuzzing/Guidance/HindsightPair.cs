namespace AgentKit.Fuzzing.Guidance;

/// <summary>
/// A question the campaign could have asked before one of its inputs was found, paired with that input as its answer:
/// the input was the first to cover <see cref="FrontierQuestion.TargetId"/> (see <see cref="HindsightPairs"/>).
/// </summary>
/// <param name="Question">The question about the target, built from the corpus as it was before <paramref name="Input"/>.</param>
/// <param name="Input">The corpus input that first covered the target.</param>
/// <param name="CorpusIndex">The input's place in the corpus (the order it was found, 0-based).</param>
public sealed record HindsightPair(FrontierQuestion Question, byte[] Input, int CorpusIndex)
{
    /// <summary>
    /// The assistant's answer for an SFT example (<see cref="FrontierPrompt.AnswerText"/>; base64 when the question's
    /// seed is), or null when the input is not UTF-8 but the question asks for text: the answer could not be written.
    /// </summary>
    public string? AnswerText() =>
        Question.SeedIsBase64 || TextForm.IsUtf8(Input) ? FrontierPrompt.AnswerText(Input, Question.SeedIsBase64) : null;
}
