// agentkit bench agent [--steps 12] [--model FILE.gguf] [--llm-steps 3] [--max-tokens 64] [--context 4096] [--threads N] [--json]
using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Tools;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core;
using AgentKit.Core.Definitions;
using AgentKit.Core.Models;
using AgentKit.Core.Running;
using AgentKit.Core.Trajectories;
using AgentKit.Models.Gguf;
using AgentKit.Models.LlamaSharp;
using AgentKit.Retrieval.Indexing;
using AgentKit.Retrieval.Corpus;
using AgentKit.Retrieval.Search;
using AgentKit.Retrieval.Tools;
using AgentKit.Sandbox;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit bench agent</c>: what the runtime costs per step. (1) With a scripted model (no model time):
/// time per step split into sandbox execution (of which Search), runtime overhead (prompt building, parsing,
/// voting) and trajectory recording, for N=1 and for N=8 identical candidates. (2) With a GGUF (a tiny random
/// model unless <c>--model</c>), grammar on: wall time per step at N=1 and N=8, and the ratio.
/// </summary>
internal static class BenchAgentCommand
{
    private const string ScriptedAction = "Thought: look the city up and count the hits.\n```csharp\nvar hits = Search(\"Lyon river\", 2);\nConsole.WriteLine(hits.Length + \" \" + hits[0].Title);\n```";

    private sealed record OverheadRow(int N, int Steps, double StepMs, double ModelMs, double ExecutionMs, double SearchMs, double RuntimeOverheadMs, double RecordingMs);

    private sealed record ModelRow(int N, int Steps, double StepMs, double ModelMs, double ExecutionMs, double TokensPerStep);

    private sealed record BenchReport(IReadOnlyList<OverheadRow> Scripted, IReadOnlyList<ModelRow> Model, double WallRatioN8OverN1, string ModelName);

    public static Command Create()
    {
        var steps = new Option<int>("--steps") { Description = "Action steps per scripted run (the first, cold one is excluded from the means).", DefaultValueFactory = _ => 12 };
        var model = CommonOptions.Model();
        var llmSteps = new Option<int>("--llm-steps") { Description = "Action steps per model run.", DefaultValueFactory = _ => 3 };
        var maxTokens = CommonOptions.MaxTokens();
        maxTokens.DefaultValueFactory = _ => 64;
        var context = CommonOptions.ContextSize();
        context.DefaultValueFactory = _ => 4096; // the random model's byte-level vocabulary spends a token per character of the ~2k-character system prompt
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("agent", "Measure the agent runtime: overhead per step without model time, and N=8 vs N=1 with a GGUF.")
            { steps, model, llmSteps, maxTokens, context, threads, json };

        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var stepCount = pr.GetValue(steps);
            var llm = pr.GetValue(llmSteps);
            if (stepCount is < 2 or > 100)
                throw new CliUsageException($"--steps must be between 2 and 100, got {stepCount}.");
            if (llm is < 1 or > 20)
                throw new CliUsageException($"--llm-steps must be between 1 and 20, got {llm}.");
            var modelPath = pr.GetValue(model);
            if (modelPath is not null && !File.Exists(modelPath))
                throw new CliUsageException($"model file not found: {modelPath}");
            var tokens = pr.GetValue(maxTokens);
            if (tokens < 16)
                throw new CliUsageException($"--max-tokens must be at least 16, got {tokens}.");
            var contextSize = pr.GetValue(context);
            if (contextSize < 256)
                throw new CliUsageException($"--context must be at least 256, got {contextSize}.");

            var stderr = pr.InvocationConfiguration.Error;
            var temp = Directory.CreateTempSubdirectory("agentkit-bench-agent-").FullName;
            try
            {
                await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions(), cancellationToken: ct);
                using var searcher = BuildSearcher(temp);
                var search = new TimedTool(new SearchTool(searcher));

                stderr.WriteLine("scripted model: N=1 …");
                var scripted1 = await ScriptedRunAsync(sandbox, search, 1, stepCount, temp, ct);
                stderr.WriteLine("scripted model: N=8 …");
                var scripted8 = await ScriptedRunAsync(sandbox, search, 8, stepCount, temp, ct);

                var gguf = modelPath ?? WriteTinyModel(temp);
                using var generator = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = gguf, ContextSize = contextSize, Threads = pr.GetValue(threads) });
                stderr.WriteLine($"model {Path.GetFileName(gguf)}: N=1 …");
                var model1 = await ModelRunAsync(sandbox, generator, 1, llm, tokens, ct);
                stderr.WriteLine($"model {Path.GetFileName(gguf)}: N=8 …");
                var model8 = await ModelRunAsync(sandbox, generator, 8, llm, tokens, ct);

                var report = new BenchReport([scripted1, scripted8], [model1, model8],
                    model1.StepMs > 0 ? Math.Round(model8.StepMs / model1.StepMs, 2) : 0, generator.Model.Name);
                var stdout = pr.InvocationConfiguration.Output;
                if (pr.GetValue(json))
                    JsonOutput.Write(stdout, report);
                else
                    WriteTables(SpectreConsoles.For(stdout), report);
                return CliApp.Success;
            }
            finally
            {
                try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
            }
        });
        return command;
    }

    private static async Task<OverheadRow> ScriptedRunAsync(ICodeSandbox sandbox, TimedTool search, int n, int steps, string temp, CancellationToken ct)
    {
        var generator = new ScriptedCandidateGenerator((request, i) => Enumerable.Repeat(ScriptedAction, request.N).ToList());
        var definition = new AgentDefinition
        {
            Name = "bench",
            Tools = ["Search"],
            Model = new AgentModelOptions { Path = "scripted.gguf" },
            Sampling = new AgentSamplingOptions { Candidates = n },
            MaxSteps = steps,
            Grammar = false,
        };
        using var writer = new JsonlTrajectoryWriter(Path.Combine(temp, $"scripted-n{n}.jsonl"));
        var sink = new TimedSink(writer);
        var agent = new Agent(definition, generator, sandbox, [search], new AgentRunOptions { Sink = sink });
        search.Reset();
        var result = await agent.RunAsync(new TrajectoryTask("bench", "Which river flows through Lyon?"), null, ct);
        var actions = result.Steps.OfType<ActionStep>().Skip(1).ToList(); // step 1 pays cold compilation
        var searchMs = search.TotalMs / Math.Max(1, search.Calls) * n; // every candidate searches once
        return new OverheadRow(n, actions.Count,
            Round(actions.Average(a => a.Usage.ModelMs + a.ExecutionMs + a.OverheadMs)),
            Round(actions.Average(a => a.Usage.ModelMs)),
            Round(actions.Average(a => a.ExecutionMs)),
            Round(searchMs),
            Round(actions.Average(a => a.OverheadMs)),
            Round(sink.TotalMs / Math.Max(1, actions.Count + 1)));
    }

    private static async Task<ModelRow> ModelRunAsync(ICodeSandbox sandbox, LlamaSharpGenerator generator, int n, int steps, int maxTokens, CancellationToken ct)
    {
        var definition = new AgentDefinition
        {
            Name = "bench",
            Model = new AgentModelOptions { Path = generator.Model.Source },
            Sampling = new AgentSamplingOptions { Candidates = n, Seed = 1, Temperature = 0.8f, MaxTokensPerStep = maxTokens },
            MaxSteps = steps,
            Grammar = true,
            GrammarMaxThoughtChars = Math.Max(1, maxTokens / 4),
            GrammarMaxCodeChars = Math.Max(1, maxTokens / 2),
        };
        var agent = new Agent(definition, generator, sandbox, []);
        var wall = Stopwatch.StartNew();
        var result = await agent.RunAsync(new TrajectoryTask("bench", "What is 17 * 23?"), null, ct);
        wall.Stop();
        var actions = result.Steps.OfType<ActionStep>().ToList();
        return new ModelRow(n, actions.Count,
            Round(actions.Average(a => a.Usage.ModelMs + a.ExecutionMs + a.OverheadMs)),
            Round(actions.Average(a => a.Usage.ModelMs)),
            Round(actions.Average(a => a.ExecutionMs)),
            Round(actions.Average(a => (double)a.Usage.CompletionTokens)));
    }

    private static LuceneSearcher BuildSearcher(string temp)
    {
        var folder = Path.Combine(temp, "index");
        new LuceneIndexBuilder().Build(
        [
            new CorpusDocument("lyon", "Lyon", "Lyon lies at the confluence of the Rhône and the Saône rivers."),
            new CorpusDocument("rhone", "Rhône", "The Rhône flows through Lake Geneva and Lyon to the Mediterranean."),
            new CorpusDocument("paris", "Paris", "Paris is on the Seine."),
        ], folder);
        return LuceneSearcher.Open(folder);
    }

    private static string WriteTinyModel(string temp)
    {
        var path = Path.Combine(temp, "tiny-random.gguf");
        RandomLlamaModel.Write(path, new RandomLlamaOptions());
        return path;
    }

    private static double Round(double value) => Math.Round(value, 2);

    private static void WriteTables(IAnsiConsole console, BenchReport report)
    {
        var scripted = new Table().Title("scripted model (no model time), ms per step")
            .AddColumns("N", "steps", "step", "model", "sandbox execution", "of which Search", "runtime overhead", "recording");
        foreach (var r in report.Scripted)
            scripted.AddRow(r.N.ToString(), r.Steps.ToString(), r.StepMs.ToString("F2"), r.ModelMs.ToString("F2"), r.ExecutionMs.ToString("F2"),
                r.SearchMs.ToString("F2"), r.RuntimeOverheadMs.ToString("F2"), r.RecordingMs.ToString("F2"));
        console.Write(scripted);
        var model = new Table().Title($"{Markup.Escape(report.ModelName)}, grammar on, ms per step")
            .AddColumns("N", "steps", "step", "model", "sandbox execution", "tokens / step");
        foreach (var r in report.Model)
            model.AddRow(r.N.ToString(), r.Steps.ToString(), r.StepMs.ToString("F1"), r.ModelMs.ToString("F1"), r.ExecutionMs.ToString("F1"), r.TokensPerStep.ToString("F0"));
        console.Write(model);
        console.WriteLine($"wall time per step, N=8 / N=1: {report.WallRatioN8OverN1:F2}x");
    }

    /// <summary>Times a tool's calls (Search's share of sandbox execution).</summary>
    private sealed class TimedTool(IAgentTool inner) : IAgentTool
    {
        private long _ticks;
        private int _calls;

        public ToolDefinition Definition => inner.Definition;
        public double TotalMs => TimeSpan.FromTicks(Interlocked.Read(ref _ticks)).TotalMilliseconds;
        public int Calls => _calls;

        public void Reset()
        {
            Interlocked.Exchange(ref _ticks, 0);
            Interlocked.Exchange(ref _calls, 0);
        }

        public async ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                return await inner.InvokeAsync(arguments, cancellationToken);
            }
            finally
            {
                Interlocked.Add(ref _ticks, Stopwatch.GetElapsedTime(started).Ticks);
                Interlocked.Increment(ref _calls);
            }
        }
    }

    /// <summary>Times the trajectory writes.</summary>
    private sealed class TimedSink(ITrajectorySink inner) : ITrajectorySink
    {
        public double TotalMs { get; private set; }

        public async ValueTask WriteAsync(TrajectoryRecord record, CancellationToken cancellationToken = default)
        {
            var started = Stopwatch.GetTimestamp();
            await inner.WriteAsync(record, cancellationToken);
            TotalMs += Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }
}
