namespace AgentKit.Fuzzing.Execution;

/// <summary>What one input did in a block-mode worker: the probe blocks it executed and whether it was a finding.</summary>
/// <param name="Blocks">Probe ids of the blocks executed (empty when the worker died or hung: its map is lost).</param>
/// <param name="Finding">True for an unexpected exception, a dead worker (stack overflow, abort) or a hang.</param>
/// <param name="Kind">"ok", "crash", "died" or "hang".</param>
/// <param name="ExceptionType">The exception's type for a crash.</param>
/// <param name="Message">The exception's message for a crash.</param>
/// <param name="StackTrace">The stack for a crash, or the worker's stderr tail when it died.</param>
/// <param name="ExitCode">The worker's exit code when it died.</param>
public sealed record BlockRun(IReadOnlySet<int> Blocks, bool Finding, string Kind, string? ExceptionType = null, string? Message = null, string? StackTrace = null, int? ExitCode = null);
