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

namespace AgentKit.Hosting.Benchmarks;

/// <summary>
/// What the agent runtime costs per step (<c>agentkit bench agent</c>). (1) With a scripted model (no model time):
/// time per step split into sandbox execution (of which Search), runtime overhead (prompt building, parsing,
/// voting) and trajectory recording, for N=1, for N=8 identical candidates (a model that agrees with itself) and
/// for N=8 candidates that all differ (no image can be shared between them). (2) With a GGUF (a tiny random
/// model unless <c>--model</c>), grammar on: wall time per step at N=1 and N=8, and the ratio.
/// </summary>
public static class AgentBenchmark
{
    private const string ScriptedAction = "Thought: look the city up and count the hits.\n```csharp\nvar hits = Search(\"Lyon river\", 2);\nConsole.WriteLine(hits.Length + \" \" + hits[0].Title);\n```";

    // The same action with a different constant per candidate: each is compiled and loaded on its own.
    private static string DistinctAction(int candidate) =>
        $"Thought: look the city up and count the hits.\n```csharp\nvar hits = Search(\"Lyon river\", 2);\nConsole.WriteLine(hits.Length + \" \" + hits[0].Title + \" {candidate}\");\n```";

    /// <summary>Runs both measurements; <paramref name="progress"/> hears which one starts.</summary>
    public static async Task<AgentBenchReport> RunAsync(AgentBenchmarkOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var ct = cancellationToken;
        var temp = Directory.CreateTempSubdirectory("agentkit-bench-agent-").FullName;
        try
        {
            await using var sandbox = await CodeSandbox.StartAsync(new SandboxOptions(), cancellationToken: ct);
            using var searcher = BuildSearcher(temp);
            var search = new TimedTool(new SearchTool(searcher));

            // Each run starts as a step does while a model writes it: the workers of the run before it replaced.
            await sandbox.WaitForWarmWorkersAsync(ct);
            progress?.Report("scripted model: N=1 …");
            var scripted1 = await ScriptedRunAsync(sandbox, search, 1, options.Steps, distinct: false, temp, ct);
            await sandbox.WaitForWarmWorkersAsync(ct);
            progress?.Report("scripted model: N=8 …");
            var scripted8 = await ScriptedRunAsync(sandbox, search, 8, options.Steps, distinct: false, temp, ct);
            await sandbox.WaitForWarmWorkersAsync(ct);
            progress?.Report("scripted model: N=8, all different …");
            var scripted8Distinct = await ScriptedRunAsync(sandbox, search, 8, options.Steps, distinct: true, temp, ct);

            var gguf = options.ModelPath ?? WriteTinyModel(temp);
            using var generator = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = gguf, ContextSize = options.ContextSize, Threads = options.Threads });
            await sandbox.WaitForWarmWorkersAsync(ct);
            progress?.Report($"model {Path.GetFileName(gguf)}: N=1 …");
            var model1 = await ModelRunAsync(sandbox, generator, 1, options.ModelSteps, options.MaxTokens, ct);
            await sandbox.WaitForWarmWorkersAsync(ct);
            progress?.Report($"model {Path.GetFileName(gguf)}: N=8 …");
            var model8 = await ModelRunAsync(sandbox, generator, 8, options.ModelSteps, options.MaxTokens, ct);

            return new AgentBenchReport([scripted1, scripted8, scripted8Distinct], [model1, model8],
                model1.StepMs > 0 ? Math.Round(model8.StepMs / model1.StepMs, 2) : 0, generator.Model.Name)
            {
                ExecutionRatioN8OverN1 = Ratio(scripted8.ExecutionMs, scripted1.ExecutionMs),
                ExecutionRatioDistinctN8OverN1 = Ratio(scripted8Distinct.ExecutionMs, scripted1.ExecutionMs),
            };
        }
        finally
        {
            try { Directory.Delete(temp, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<OverheadRow> ScriptedRunAsync(ICodeSandbox sandbox, TimedTool search, int n, int steps, bool distinct, string temp, CancellationToken ct)
    {
        var generator = new ScriptedCandidateGenerator((request, i) =>
            Enumerable.Range(0, request.N).Select(c => distinct ? DistinctAction(c) : ScriptedAction).ToList());
        var definition = new AgentDefinition
        {
            Name = "bench",
            Tools = ["Search"],
            Model = new AgentModelOptions { Path = "scripted.gguf" },
            Sampling = new AgentSamplingOptions { Candidates = n },
            MaxSteps = steps,
            Grammar = false,
        };
        using var writer = new JsonlTrajectoryWriter(Path.Combine(temp, $"scripted-n{n}{(distinct ? "-distinct" : "")}.jsonl"));
        var sink = new TimedSink(writer);
        var agent = new Agent(definition, generator, sandbox, [search], new AgentRunOptions { Sink = sink });
        search.Reset();
        var result = await agent.RunAsync(new TrajectoryTask("bench", "Which river flows through Lyon?"), null, ct);
        var actions = result.Steps.OfType<ActionStep>().Skip(1).ToList(); // step 1 pays cold compilation
        // Per step, the cold one included: candidates asking the same question share one search (SharedReads).
        var searchMs = search.TotalMs / Math.Max(1, result.Steps.OfType<ActionStep>().Count());
        return new OverheadRow(n, actions.Count,
            Round(actions.Average(a => a.Usage.ModelMs + a.ExecutionMs + a.OverheadMs)),
            Round(actions.Average(a => a.Usage.ModelMs)),
            Round(actions.Average(a => a.ExecutionMs)),
            Round(searchMs),
            Round(actions.Average(a => a.OverheadMs)),
            Round(sink.TotalMs / Math.Max(1, actions.Count + 1)))
        {
            DistinctCandidates = distinct,
        };
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
            Round(actions.Average(a => (double)a.Usage.CompletionTokens)),
            Round(actions.Average(a => (double)a.Usage.PromptTokens)));
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

    private static double Ratio(double value, double baseline) => baseline > 0 ? Round(value / baseline) : 0;

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

/// <summary>Milliseconds per step with the scripted model (no model time), the cold first step excluded.</summary>
/// <param name="N">Candidates per step.</param>
/// <param name="Steps">Steps averaged.</param>
/// <param name="StepMs">Whole step.</param>
/// <param name="ModelMs">Model time (none: scripted).</param>
/// <param name="ExecutionMs">Sandbox execution of the candidates.</param>
/// <param name="SearchMs">Of which the Search tool (per step; candidates asking the same question share one search).</param>
/// <param name="RuntimeOverheadMs">Prompt building, parsing and voting.</param>
/// <param name="RecordingMs">Trajectory writes.</param>
public sealed record OverheadRow(int N, int Steps, double StepMs, double ModelMs, double ExecutionMs, double SearchMs, double RuntimeOverheadMs, double RecordingMs)
{
    /// <summary>True when the N candidates all differ (false: N identical ones).</summary>
    public bool DistinctCandidates { get; init; }
}

/// <summary>Milliseconds per step with a GGUF, grammar on.</summary>
/// <param name="N">Candidates per step.</param>
/// <param name="Steps">Steps taken.</param>
/// <param name="StepMs">Whole step.</param>
/// <param name="ModelMs">Sampling.</param>
/// <param name="ExecutionMs">Sandbox execution.</param>
/// <param name="TokensPerStep">Completion tokens per step, over all candidates.</param>
/// <param name="PromptTokensPerStep">Prompt tokens per step: evaluated once and shared by every candidate.</param>
public sealed record ModelRow(int N, int Steps, double StepMs, double ModelMs, double ExecutionMs, double TokensPerStep, double PromptTokensPerStep);

/// <summary>What <see cref="AgentBenchmark.RunAsync"/> measured (<c>agentkit bench agent --json</c> prints it).</summary>
/// <param name="Scripted">N=1, N=8 identical and N=8 distinct candidates with the scripted model.</param>
/// <param name="Model">N=1 and N=8 with the GGUF.</param>
/// <param name="WallRatioN8OverN1">Step wall time with the GGUF, N=8 over N=1.</param>
/// <param name="ModelName">The GGUF's name.</param>
public sealed record AgentBenchReport(IReadOnlyList<OverheadRow> Scripted, IReadOnlyList<ModelRow> Model, double WallRatioN8OverN1, string ModelName)
{
    /// <summary>Sandbox execution per step with the scripted model, N=8 identical candidates over N=1.</summary>
    public double ExecutionRatioN8OverN1 { get; init; }

    /// <summary>Sandbox execution per step with the scripted model, N=8 candidates that all differ over N=1.</summary>
    public double ExecutionRatioDistinctN8OverN1 { get; init; }
}
