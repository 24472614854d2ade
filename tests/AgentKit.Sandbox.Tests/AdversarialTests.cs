using System.Diagnostics;
using AgentKit.Abstractions.Execution;

namespace AgentKit.Sandbox.Tests;

/// <summary>One attack per property the sandbox claims; each checks the status and that the sandbox survives.</summary>
[Collection(SandboxCollection.Name)]
public sealed class AdversarialTests(SandboxFixture fixture)
{
    private CodeSandbox Sandbox => fixture.Sandbox;

    [Fact]
    public async Task InfiniteLoop_TimesOut_KillsOnlyItsWorker()
    {
        var idleBefore = Sandbox.GetWorkers().Select(w => w.ProcessId).ToHashSet();
        var watch = Stopwatch.StartNew();

        var result = await Sandbox.RunAsync("while (true) { }");

        Assert.Equal(ExecutionStatus.Timeout, result.Status);
        Assert.Contains("limit", result.Error);
        Assert.InRange(watch.Elapsed, SandboxFixture.Options.Timeout, SandboxFixture.Options.Timeout + TimeSpan.FromSeconds(3));
        // The loop ran in a worker of its own: the ones that were waiting are untouched (one was taken for the run).
        Assert.True(idleBefore.Intersect(Sandbox.GetWorkers().Select(w => w.ProcessId)).Count() >= idleBefore.Count - 1);
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task AllocationBomb_HitsMemoryLimit()
    {
        var result = await Sandbox.RunAsync("var hoard = new List<byte[]>();\nwhile (true) hoard.Add(new byte[1 << 20]);");

        Assert.Equal(ExecutionStatus.MemoryLimit, result.Status);
        Assert.Contains("memory limit", result.Error);
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task DeepRecursion_CrashesTheWorker_NotTheHost()
    {
        var result = await Sandbox.RunAsync("int Down(int n) => Down(n + 1) + 1;\nDown(0)");

        Assert.Equal(ExecutionStatus.Crashed, result.Status);
        Assert.Contains("stack overflow", result.Error, StringComparison.OrdinalIgnoreCase);
        await fixture.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("System.IO.File.ReadAllText(\"/etc/passwd\")", "System.IO.File.ReadAllText")]
    [InlineData("System.IO.File.WriteAllText(\"pwned.txt\", \"x\");", "System.IO.File.WriteAllText")]
    [InlineData("using System.IO;\nvar lines = File.ReadLines(\"/etc/hosts\").ToList();", "System.IO.File.ReadLines")]
    [InlineData("new System.IO.FileStream(\"x\", System.IO.FileMode.Create)", "System.IO.FileStream")]
    [InlineData("System.IO.Directory.GetFiles(\"/\")", "System.IO.Directory.GetFiles")]
    public async Task FileAccess_IsPolicyViolation(string code, string symbol)
    {
        var result = await Sandbox.RunAsync(code);

        AssertViolation(result, symbol, "file system");
        await fixture.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("System.Diagnostics.Process.Start(\"/bin/sh\", \"-c id\")", "System.Diagnostics.Process.Start")]
    [InlineData("using static System.Diagnostics.Process;\nStart(\"ls\");", "System.Diagnostics.Process")]
    [InlineData("using P = System.Diagnostics.ProcessStartInfo;\nvar p = new P(\"ls\");", "System.Diagnostics.ProcessStartInfo")]
    public async Task ProcessStart_IsPolicyViolation(string code, string symbol)
    {
        var result = await Sandbox.RunAsync(code);

        AssertViolation(result, symbol, "process");
        await fixture.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("var http = new System.Net.Http.HttpClient();\nhttp.GetStringAsync(\"http://example.com\").Result", "System.Net.Http.HttpClient")]
    [InlineData("var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);", "System.Net.Sockets")]
    [InlineData("System.Net.Dns.GetHostAddresses(\"example.com\")", "System.Net.Dns")]
    public async Task SocketsAndHttp_ArePolicyViolations(string code, string symbol)
    {
        var result = await Sandbox.RunAsync(code);

        AssertViolation(result, symbol, "network");
        await fixture.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("Environment.Exit(0);", "System.Environment.Exit")]
    [InlineData("Environment.FailFast(\"bye\");", "System.Environment.FailFast")]
    [InlineData("Environment.GetEnvironmentVariable(\"PATH\")", "System.Environment.GetEnvironmentVariable")]
    public async Task EnvironmentExitAndVariables_ArePolicyViolations(string code, string symbol)
    {
        var result = await Sandbox.RunAsync(code);

        AssertViolation(result, symbol, "environment");
        await fixture.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("typeof(string).Assembly.GetType(\"System.IO.File\")", "System.Reflection.Assembly.GetType", "reflection")]
    [InlineData("typeof(string).Assembly", "System.Type.Assembly", "reflection")]
    [InlineData("Type.GetType(\"System.IO.File\")", "System.Type.GetType", "reflection")]
    [InlineData("\"x\".GetType().GetMethod(\"Trim\", Type.EmptyTypes)", "System.Type.GetMethod", "reflection")]
    [InlineData("Activator.CreateInstance(typeof(List<int>))", "System.Activator", "reflection")]
    [InlineData("Func<int> f = () => 1;\nvar m = f.Method;", "System.Reflection.MethodInfo", "reflection")]
    [InlineData("Func<int> f = () => 1;\nf.Method.Name", "System.Delegate.Method", "reflection")]
    [InlineData("try { throw new Exception(); } catch (Exception e) { var site = e.TargetSite; }", "System.Reflection.MethodBase", "reflection")]
    [InlineData("dynamic d = \"x\";\nd.Length", "dynamic", "late binding")]
    [InlineData("System.Linq.Expressions.Expression.Constant(1)", "System.Linq.Expressions", "expression trees")]
    [InlineData("System.Runtime.CompilerServices.Unsafe.SizeOf<int>()", "System.Runtime.CompilerServices.Unsafe", "unsafe")]
    [InlineData("System.Runtime.Loader.AssemblyLoadContext.Default", "System.Runtime.Loader", "assembly loading")]
    [InlineData("GC.Collect();", "System.GC", "garbage collector")]
    [InlineData("#r \"System.IO.FileSystem.dll\"\n1", "#r", "loading assemblies")]
    public async Task ReflectionAndLateBinding_ArePolicyViolations(string code, string symbol, string reason)
    {
        var result = await Sandbox.RunAsync(code);

        AssertViolation(result, symbol, reason);
        await fixture.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("unsafe { int x = 1; int* p = &x; *p = 2; }", "unsafe")]
    [InlineData("unsafe int Peek(int* p) => *p;", "unsafe")]
    [InlineData("Span<int> s = stackalloc int[4];\nSystem.Runtime.InteropServices.MemoryMarshal.GetReference(s)", "System.Runtime.InteropServices.MemoryMarshal")]
    [InlineData("[System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid();", "extern")]
    public async Task UnsafeCodeAndInterop_ArePolicyViolations(string code, string symbol)
    {
        var result = await Sandbox.RunAsync(code);

        Assert.Equal(ExecutionStatus.PolicyViolation, result.Status);
        Assert.Contains(symbol, result.Error);
        Assert.NotNull(result.Line);
        await fixture.AssertHealthyAsync();
    }

    [Theory]
    [InlineData("var t = new System.Threading.Thread(() => { while (true) { } });\nt.Start();", "System.Threading.Thread", "threads")]
    [InlineData("System.Threading.Tasks.Task.Run(() => { while (true) { } });", "System.Threading.Tasks.Task", "tasks")]
    [InlineData("System.Threading.ThreadPool.QueueUserWorkItem(_ => { while (true) { } });", "System.Threading.ThreadPool", "threads")]
    [InlineData("var timer = new System.Threading.Timer(_ => Console.WriteLine(\"tick\"), null, 0, 10);", "System.Threading.Timer", "timers")]
    [InlineData("class Leaky { ~Leaky() { while (true) { } } }", "~Leaky", "finalizers")]
    [InlineData("async System.Threading.Tasks.Task Later() { await System.Threading.Tasks.Task.Delay(1000); }", "System.Threading.Tasks.Task", "tasks")]
    public async Task WorkThatOutlivesTheSnippet_IsPolicyViolation(string code, string symbol, string reason)
    {
        var result = await Sandbox.RunAsync(code);

        AssertViolation(result, symbol, reason);
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task HugeOutput_IsTruncatedAtTheCap()
    {
        var result = await Sandbox.RunAsync("for (var i = 0; i < 1_000_000; i++) Console.Write(\"0123456789\");\n\"done\"");

        Assert.Equal(ExecutionStatus.OutputTruncated, result.Status);
        Assert.Equal(SandboxFixture.Options.MaxOutputChars, result.Output.Length);
        Assert.Equal("done", result.ReturnValue);
        Assert.True(result.Succeeded);
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task CatastrophicRegex_StopsAtTheMatchTimeout()
    {
        var result = await Sandbox.RunAsync("Regex.IsMatch(new string('a', 40) + \"!\", \"^(a+)+$\")");

        Assert.Equal(ExecutionStatus.RuntimeError, result.Status);
        Assert.Contains("RegexMatchTimeoutException", result.Error);
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task ConsoleInput_IsPolicyViolation()
    {
        var result = await Sandbox.RunAsync("var line = Console.ReadLine();");

        AssertViolation(result, "System.Console.ReadLine", "console input");
        await fixture.AssertHealthyAsync();
    }

    [Fact]
    public async Task Workers_RunWithScrubbedEnvironment_InEmptyDirectory()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc is Linux-only
        var workers = await fixture.WorkersAsync();
        Assert.NotEmpty(workers);
        foreach (var worker in workers)
        {
            var environment = File.ReadAllText($"/proc/{worker.ProcessId}/environ").Split('\0');
            Assert.DoesNotContain(environment, v => v.StartsWith(SandboxFixture.HostSecretVariable, StringComparison.Ordinal));
            Assert.Contains(environment, v => v.StartsWith("DOTNET_GCHeapHardLimit=", StringComparison.Ordinal));
            var workDirectory = new DirectoryInfo($"/proc/{worker.ProcessId}/cwd").LinkTarget!;
            Assert.NotEqual(Environment.CurrentDirectory, workDirectory);
            // Through /proc/PID/cwd itself: a confined worker's folder lives in its own mount namespace.
            Assert.Empty(Directory.EnumerateFileSystemEntries($"/proc/{worker.ProcessId}/cwd"));
        }
    }

    [Fact]
    public async Task Workers_HaveTheirOwnNetworkNamespace_WhenTheMachineAllowsIt()
    {
        if (!OperatingSystem.IsLinux()) return; // namespaces are Linux-only
        Assert.Equal(Sandbox.OsConfined || AgentKit.Sandbox.Pool.NetworkNamespaceProbe.Wrapper is not null, Sandbox.NetworkIsolated);
        if (!Sandbox.NetworkIsolated) return;
        var hostNamespace = new FileInfo("/proc/self/ns/net").LinkTarget;
        foreach (var worker in await fixture.WorkersAsync())
        {
            var workerNamespace = new FileInfo($"/proc/{worker.ProcessId}/ns/net").LinkTarget;
            Assert.StartsWith("net:[", workerNamespace);
            Assert.NotEqual(hostNamespace, workerNamespace);
        }
    }

    private static void AssertViolation(ExecutionResult result, string symbol, string reason)
    {
        Assert.Equal(ExecutionStatus.PolicyViolation, result.Status);
        Assert.Contains(symbol, result.Error);
        Assert.Contains(reason, result.Error);
        Assert.NotNull(result.Line);
        Assert.NotNull(result.Column);
    }
}
