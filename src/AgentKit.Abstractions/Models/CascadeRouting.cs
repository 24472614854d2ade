namespace AgentKit.Abstractions.Models;

/// <summary>How a cascade routed one request: who produced the reply and why.</summary>
/// <param name="ProducedBy">Name of the model whose candidates were returned (the student's, or the teacher's when deferred).</param>
/// <param name="Deferred">Whether the request went to the teacher.</param>
/// <param name="Rule">The deferral rule (e.g. <c>total</c>, <c>p10</c>, <c>logistic</c>).</param>
/// <param name="Uncertainty">The rule's uncertainty score for the student's reply (higher is less sure).</param>
/// <param name="Threshold">The request was deferred when <paramref name="Uncertainty"/> exceeded this; null for an infinite threshold (never or always defer).</param>
/// <param name="Features">The student's token statistics the score came from.</param>
public sealed record CascadeRouting(string ProducedBy, bool Deferred, string Rule, double Uncertainty, double? Threshold, TokenUncertainty Features);
