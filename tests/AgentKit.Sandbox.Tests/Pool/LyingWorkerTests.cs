using System.Diagnostics;
using AgentKit.Abstractions.Execution;
using AgentKit.Sandbox.Pool;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentKit.Sandbox.Tests.Pool;

/// <summary>
/// The worker is assumed compromised: here a program that speaks the protocol but lies (played by a perl script,
/// under the real confinement). Whatever it sends, it can do no more than a snippet could: call its own run's tools
/// within their declared arity and the argument cap, and return capped text.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class LyingWorkerTests
{
    // Answers the warm-up and 'restore' truthfully, then misbehaves on the first real 'run' as its mode says.
    private const string Script = """
        $| = 1;
        my $mode = shift @ARGV;
        print "{\"kind\":\"ready\"}\n";
        while (my $line = <STDIN>) {
            if ($line =~ /"kind":"restore"/ || ($line =~ /"kind":"run"/ && $line !~ /"contextId"/)) {
                print "{\"kind\":\"result\",\"status\":\"ok\"}\n"; next;
            }
            next unless $line =~ /"kind":"run"/;
            if ($mode eq 'tools') {
                my @answers;
                for my $call ('{"kind":"tool_call","tool":"Secret","arguments":[]}',
                              '{"kind":"tool_call","tool":"Search","arguments":["Lima"]}',
                              '{"kind":"tool_call","tool":"Search","arguments":["' . ('x' x 200000) . '",2]}',
                              '{"kind":"tool_call","tool":"AgentKitCallTool","arguments":["Search",["Lima",2]]}') {
                    print "$call\n";
                    my $answer = <STDIN>;
                    push @answers, ($answer =~ /"ok":true/ ? "yes" : "no");
                }
                print "{\"kind\":\"result\",\"status\":\"ok\",\"output\":\"" . join(",", @answers) . "\"}\n";
            } elsif ($mode eq 'flood') {
                print "{\"kind\":\"result\",\"status\":\"ok\",\"output\":\"" . ('A' x (64 * 1024 * 1024)) . "\"}\n";
            } elsif ($mode eq 'fields') {
                my $big = 'E' x 200000;
                print "{\"kind\":\"result\",\"status\":\"runtime_error\",\"error\":\"$big\",\"output\":\"$big\",\"finalAnswer\":\"$big\"}\n";
            }
        }
        """;

    private static readonly SandboxOptions Options = new() { PoolSize = 1, MaxOutputChars = 2_000, Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task ToolCalls_AreAuthorisedByTheHost_NotByTheWorker()
    {
        if (!File.Exists("/usr/bin/perl")) return;
        await using var sandbox = await StartLyingAsync("tools");
        var search = new PassageSearchTool();
        await using var session = await sandbox.OpenSessionAsync([search]);

        var result = await session.ExecuteAsync("1");

        // A tool the run does not have, the wrong number of arguments, arguments over the cap, and the sandbox's own
        // plumbing as a tool name: all refused by the host, and the real tool never ran.
        Assert.Equal("no,no,no,no", result.Output);
        Assert.Equal(0, search.Calls);
    }

    [Fact]
    public async Task AMessageOverTheLimit_KillsTheWorker_AndCostsTheHostOnlyTheLimit()
    {
        if (!File.Exists("/usr/bin/perl")) return;
        await using var sandbox = await StartLyingAsync("flood");
        await using var session = await sandbox.OpenSessionAsync([]);
        using var self = Process.GetCurrentProcess();
        var before = self.PrivateMemorySize64;

        var result = await session.ExecuteAsync("1");

        Assert.Equal(ExecutionStatus.Crashed, result.Status);
        Assert.Contains("longer than", result.Error);
        self.Refresh();
        // Read whole, the line would cost 64 MB of bytes plus a 128 MB string; other tests' allocations are the slack.
        Assert.True(self.PrivateMemorySize64 - before < 150L * 1024 * 1024, $"the host grew by {(self.PrivateMemorySize64 - before) / 1048576} MB reading a 64 MB message");
    }

    [Fact]
    public async Task OversizedFields_AreCutByTheHost_WithAVisibleMarker()
    {
        if (!File.Exists("/usr/bin/perl")) return;
        await using var sandbox = await StartLyingAsync("fields");
        await using var session = await sandbox.OpenSessionAsync([]);

        var result = await session.ExecuteAsync("1");

        Assert.Equal(ExecutionStatus.RuntimeError, result.Status);
        foreach (var text in new[] { result.Error!, result.Output, result.FinalAnswer! })
        {
            Assert.True(text.Length < Options.MaxOutputChars + 100, $"{text.Length} characters came through");
            Assert.Contains("[truncated: 200,000 characters in all]", text);
        }
    }

    private static async Task<CodeSandbox> StartLyingAsync(string mode)
    {
        var launch = WorkerLaunch.Create(Options, NullLogger.Instance).WithWorkerCommand(["/usr/bin/perl", "-e", Script, mode]);
        return await CodeSandbox.StartAsync(Options, launch, NullLogger.Instance, CancellationToken.None);
    }
}
