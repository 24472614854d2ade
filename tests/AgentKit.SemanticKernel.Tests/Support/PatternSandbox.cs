using System.Text.Json;
using System.Text.RegularExpressions;
using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Tools;

namespace AgentKit.SemanticKernel.Tests.Support;

/// <summary>
/// A scripted stand-in for the C# sandbox, for control-flow tests only: it understands exactly two statements,
/// <c>FinalAnswer("literal");</c> and <c>FinalAnswer(Search("query", k)[0].Title);</c>. The second calls the real
/// Search tool it was given through <see cref="IAgentTool.InvokeAsync"/>. Anything else is a compile error.
/// </summary>
public sealed partial class PatternSandbox : ICodeSandbox
{
    public List<IReadOnlyList<string>> SessionTools { get; } = [];

    public Task<ICodeSession> OpenSessionAsync(IReadOnlyList<IAgentTool> tools, CancellationToken cancellationToken = default)
    {
        SessionTools.Add([.. tools.Select(t => t.Definition.Name)]);
        return Task.FromResult<ICodeSession>(new Session(tools));
    }

    [GeneratedRegex("""^FinalAnswer\("(?<text>[^"]*)"\);$""")]
    private static partial Regex LiteralAnswer();

    [GeneratedRegex("""^FinalAnswer\(Search\("(?<query>[^"]*)", (?<k>\d+)\)\[0\]\.Title\);$""")]
    private static partial Regex SearchAnswer();

    private sealed class Session(IReadOnlyList<IAgentTool> tools) : ICodeSession
    {
        private List<ExecutionResult> _tried = [];

        public async Task<ExecutionResult> ExecuteAsync(string code, CancellationToken cancellationToken = default)
        {
            code = code.Trim();
            if (LiteralAnswer().Match(code) is { Success: true } literal)
                return new ExecutionResult { Status = ExecutionStatus.Ok, FinalAnswer = literal.Groups["text"].Value };
            if (SearchAnswer().Match(code) is { Success: true } search)
            {
                var tool = tools.Single(t => t.Definition.Name == "Search");
                var args = new[] { JsonSerializer.SerializeToElement(search.Groups["query"].Value), JsonSerializer.SerializeToElement(int.Parse(search.Groups["k"].Value)) };
                var result = await tool.InvokeAsync(args, cancellationToken);
                return new ExecutionResult { Status = ExecutionStatus.Ok, FinalAnswer = result![0]!["Title"]!.GetValue<string>() };
            }
            return new ExecutionResult { Status = ExecutionStatus.CompileError, Error = $"PatternSandbox cannot run: {code}" };
        }

        public async Task<IReadOnlyList<ExecutionResult>> TryCandidatesAsync(IReadOnlyList<string> candidates, CancellationToken cancellationToken = default)
        {
            _tried = [];
            foreach (var candidate in candidates)
                _tried.Add(await ExecuteAsync(candidate, cancellationToken));
            return _tried;
        }

        public Task<ExecutionResult> CommitCandidateAsync(int index, CancellationToken cancellationToken = default) => Task.FromResult(_tried[index]);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
