using System.Net;
using System.Text;
using System.Text.Json;
using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Cli.Tests;

/// <summary><c>record --mode cot</c> against a real loopback HTTP teacher whose replies are scripted per question.</summary>
[Collection(AgentCli.Collection)]
public sealed class RecordCotCommandTests : IDisposable
{
    private const string RightReply = "2 plus 2 makes 4.\n\\boxed{4}";
    private const string WrongReply = "3 plus 3 makes 5.\n\\boxed{5}";
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-cli-record-cot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Cot_runs_keep_the_correct_answer_and_export_the_eval_prompt_with_the_teachers_reply()
    {
        using var teacher = ScriptedTeacher.Start(question => question.Contains("2+2") ? RightReply : WrongReply);
        var tasks = Path.Combine(_dir, "tasks.jsonl");
        await File.WriteAllTextAsync(tasks, "{\"id\":\"a\",\"question\":\"What is 2+2?\",\"answer\":\"4\"}\n{\"id\":\"b\",\"question\":\"What is 3+3?\",\"answer\":\"6\"}\n");
        var output = Path.Combine(_dir, "cot.jsonl");
        string[] record = ["record", "--agent", AgentCli.ExampleAgent, "--tasks", tasks, "--mode", "cot", "--teacher-endpoint", teacher.BaseUrl,
            "--teacher-model", "t", "--filter-correct", "--max-retries", "0", "--out", output, "--json"];

        var (exit, stdout, stderr) = await AgentCli.RunAsync(record);
        Assert.True(exit == 0, stderr);
        using (var report = JsonDocument.Parse(stdout))
            Assert.Equal((1, 1, 0), (report.RootElement.GetProperty("recorded").GetInt32(), report.RootElement.GetProperty("dropped").GetInt32(),
                report.RootElement.GetProperty("failed").GetInt32()));
        var line = Assert.Single(await File.ReadAllLinesAsync(output));
        using (var run = JsonDocument.Parse(line))
        {
            Assert.Equal("a", run.RootElement.GetProperty("task").GetProperty("id").GetString());
            Assert.Equal("4", run.RootElement.GetProperty("final_answer").GetString());
        }

        // Resumed: both tasks are done (one kept, one dropped), so the teacher is not asked again.
        var asked = teacher.Requests;
        (exit, _, stderr) = await AgentCli.RunAsync(record);
        Assert.True(exit == 0, stderr);
        Assert.Equal(asked, teacher.Requests);

        var sft = Path.Combine(_dir, "sft.jsonl");
        (exit, _, stderr) = await AgentCli.RunAsync("trajectories", "export", "--in", output, "--sft", sft);
        Assert.True(exit == 0, stderr);
        using var example = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(sft)));
        var messages = example.RootElement.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString(), m.GetProperty("content").GetString(), m.GetProperty("weight").GetInt32())).ToList();
        var evalPrompt = ChainOfThoughtAnswering.Messages("What is 2+2?", BenchmarkKind.Math);
        Assert.Equal([("system", evalPrompt[0].Text, 0), ("user", evalPrompt[1].Text, 0), ("assistant", RightReply, 1)], messages);
    }

    [Theory]
    [InlineData("--mode", "tools", "--mode takes agent or cot, got 'tools'")]
    [InlineData("--cot-kind", "code", "--cot-kind takes math or qa, got 'code'")]
    [InlineData("--cot-max-tokens", "0", "--cot-max-tokens must be at least 1")]
    public async Task Unusable_cot_flags_are_refused_by_name(string flag, string value, string message)
    {
        var (exit, _, stderr) = await AgentCli.RunAsync("record", "--agent", AgentCli.ExampleAgent, "--tasks", AgentCli.ExampleTasks,
            "--out", Path.Combine(_dir, "t.jsonl"), flag, value);
        Assert.Equal(2, exit);
        Assert.Contains(message, stderr);
    }

    /// <summary>An OpenAI-compatible chat endpoint on a free loopback port answering each question with a scripted reply.</summary>
    private sealed class ScriptedTeacher : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Func<string, string> _reply;
        private int _requests;

        private ScriptedTeacher(Func<string, string> reply, int port)
        {
            _reply = reply;
            BaseUrl = $"http://127.0.0.1:{port}/v1";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string BaseUrl { get; }

        public int Requests => Volatile.Read(ref _requests);

        public static ScriptedTeacher Start(Func<string, string> reply)
        {
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return new ScriptedTeacher(reply, port);
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
                Interlocked.Increment(ref _requests);
                var question = body.RootElement.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user")
                    .GetProperty("content").GetString()!;
                var json = JsonSerializer.Serialize(new
                {
                    id = "x",
                    @object = "chat.completion",
                    model = "t",
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = _reply(question) }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 10, completion_tokens = 8 },
                });
                var bytes = Encoding.UTF8.GetBytes(json);
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
