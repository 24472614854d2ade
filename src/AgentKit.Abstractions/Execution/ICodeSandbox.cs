using AgentKit.Abstractions.Tools;

namespace AgentKit.Abstractions.Execution;

/// <summary>Runs untrusted C# code actions. Implementations isolate the code from the host.</summary>
public interface ICodeSandbox
{
    /// <summary>Opens a session: one agent run's notebook-like state, with these tools callable from code.</summary>
    Task<ICodeSession> OpenSessionAsync(IReadOnlyList<IAgentTool> tools, CancellationToken cancellationToken = default);
}

/// <summary>
/// The state of one agent run. Variables defined by a committed snippet are visible to later ones;
/// sessions never see each other's state.
/// </summary>
public interface ICodeSession : IAsyncDisposable
{
    /// <summary>Runs a snippet on the current state and, whatever its outcome, makes its effects the new state.</summary>
    Task<ExecutionResult> ExecuteAsync(string code, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs each candidate from the current state, isolated from each other: no candidate sees another's
    /// side effects. Nothing is committed until <see cref="CommitCandidateAsync"/>.
    /// </summary>
    Task<IReadOnlyList<ExecutionResult>> TryCandidatesAsync(IReadOnlyList<string> candidates, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adopts the state left by candidate <paramref name="index"/> of the last <see cref="TryCandidatesAsync"/>, and
    /// carries out what was held back while it was tried: the calls of side-effecting tools
    /// (<see cref="ToolDefinition.HasSideEffects"/>). Returns the candidate's result as committed — the tried one, or,
    /// when a held-back call's value was needed, the result of running the candidate again for real.
    /// </summary>
    Task<ExecutionResult> CommitCandidateAsync(int index, CancellationToken cancellationToken = default);
}
