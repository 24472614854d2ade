using System.Globalization;
using System.Text.Json.Nodes;
using AgentKit.Core.Scoring.Benchmarks;
using AgentKit.Hosting;
using AgentKit.Hosting.Evaluation;

namespace AgentKit.Distillation;

/// <summary>
/// Evaluates the exported GGUF on the recipe's benchmark sets with the library behind <c>agentkit eval --benchmark</c>
/// (<see cref="BenchmarkEvaluation"/>): the recipe's agent with the student as its model, every set at every N, judged
/// when a judge is given. The full results (per set, per N, per question) go to <c>eval.json</c>, which
/// <see cref="BenchmarkReportFile.Load"/> reads back; the ledger keeps the averages. Not resumable within: an
/// interrupted evaluation runs again from its first question.
/// </summary>
internal sealed class EvalStage : IDistillStage
{
    private readonly DistillContext _context;
    private readonly EvalRecipe _eval;
    private readonly IReadOnlyList<BenchmarkSet> _sets;

    /// <summary>Reads the benchmark files now, so a missing one stops the run before anything does.</summary>
    /// <exception cref="DistillConfigurationException">A benchmark file is missing or unreadable.</exception>
    public EvalStage(DistillContext context, EvalRecipe eval)
    {
        _context = context;
        _eval = eval;
        var sets = new List<BenchmarkSet>();
        var files = new JsonArray();
        foreach (var file in eval.Benchmarks)
        {
            var path = context.Recipe.FromRecipe(file);
            if (!File.Exists(path))
                throw new DistillConfigurationException($"eval.benchmarks: benchmark file not found: {path}");
            BenchmarkSet set;
            try
            {
                set = BenchmarkFile.Read(path, eval.ResolvedKind);
            }
            catch (Exception ex) when (ex is InvalidDataException or System.Text.Json.JsonException)
            {
                throw new DistillConfigurationException($"eval.benchmarks: {file}: {ex.Message}", ex);
            }
            if (set.Skipped.Count > 0)
                context.Progress.Warning($"{set.SourceName}: {set.Skipped.Count} example(s) skipped (first: example {set.Skipped[0].Line}, {set.Skipped[0].Reason}); {set.Tasks.Count} question(s) read.");
            sets.Add(set);
            files.Add(new JsonObject { ["file"] = file, ["sha256"] = StageFiles.Sha256(path) });
        }
        _sets = sets;
        Parameters = new JsonObject
        {
            ["benchmarks"] = files,
            ["mode"] = eval.Mode,
            ["n"] = new JsonArray([.. eval.N.Select(n => (JsonNode?)JsonValue.Create(n))]),
            ["first_thought"] = eval.FirstThought,
            ["limit"] = eval.Limit,
            ["kind"] = eval.Kind,
            ["judge_model"] = eval.JudgeModel,
            ["context"] = eval.Context,
        };
    }

    public string Name => "eval";

    public string Output => WorkFiles.Eval;

    public JsonObject Parameters { get; }

    public bool HasOutput => File.Exists(OutputPath);

    private string OutputPath => _context.Work(WorkFiles.Eval);

    public StagePlan Assess(StageRecord? record) => HasOutput && record?.Status == StageLedger.Done ? StagePlan.Skip : StagePlan.Run;

    public void Preflight()
    {
    }

    public void Reset() => StageFiles.Delete(OutputPath);

    public async Task<JsonNode> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        Reset();
        var settings = new AgentHostSettings
        {
            AgentFolder = _context.Recipe.AgentFolder, ModelPath = _context.Work(WorkFiles.Gguf), ContextSize = _eval.Context,
            GpuLayerCount = _eval.GpuLayers, Threads = _context.Threads,
        };
        using var judgeModel = _eval.JudgeEndpoint is { } endpoint ? AgentHost.OpenEndpoint(endpoint, _eval.JudgeModel!) : null;
        var judge = judgeModel is null ? null : new LlmJudge(judgeModel);
        var report = await BenchmarkEvaluation.RunAsync(settings, _sets, _eval.ToOptions(), judge, null, cancellationToken).ConfigureAwait(false);
        var staging = OutputPath + ".tmp";
        BenchmarkReportFile.Save(report, staging);
        File.Move(staging, OutputPath, overwrite: true);
        return StageFiles.ToNode(new EvalFigures(OutputPath, _eval.Mode, report.Averages,
            [.. report.Sets.Select(s => new EvalSetFigures(s.Name, s.N, s.Questions, s.Accuracy, s.F1, s.JudgeAccuracy, s.Errors))]));
    }

    public string Summarize(JsonNode results)
    {
        var f = StageFiles.FromNode<EvalFigures>(results);
        return string.Join(", ", f.Averages.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"N={a.N}: {a.Accuracy:P1} over {a.Sets} set(s){(a.JudgeAccuracy is { } j ? $" (judge {j:P1})" : "")}")));
    }
}
