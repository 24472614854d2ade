using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentKit.Distillation;

/// <summary>
/// Runs the stages of a recipe in order in one work folder: teacher (atlas, recorded file, or endpoint) →
/// [synthetic → teacher-synthetic] → SFT data → tokenizer (students from scratch only) → SFT → GGUF → [hf] → [eval],
/// then copies the GGUF (and the HF folder) to the export paths and writes <c>distill-report.json</c>.
/// <para>
/// Resumable: a stage whose output is complete is skipped, a partial one is continued (teachers, SFT). The
/// ledger (<c>stages.json</c>) ties every output to the settings it was made with; when they differ from the
/// recipe's, the run stops before doing anything and names the differences: an output is never silently
/// reused for other settings. A stage that runs or resumes makes the outputs made from it stale, so those are
/// deleted and remade; the two teachers do not depend on each other, so resuming one never redoes the other.
/// </para>
/// <code>
/// var recipe = DistillRecipeLoader.Load("agents/atlas/distill.json");
/// var report = await DistillPipeline.RunAsync(recipe, new SilentDistillProgress(), ct);
/// </code>
/// </summary>
public sealed class DistillPipeline : IDisposable
{
    private static readonly JsonSerializerOptions s_report = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly DistillContext _context;
    private readonly IReadOnlyList<PlannedStage> _stages;

    /// <summary>Runs <paramref name="recipe"/> into its default work folder and copies the GGUF to its default export path.</summary>
    /// <exception cref="DistillConfigurationException">The recipe, agent folder or work folder is not usable; nothing ran.</exception>
    /// <exception cref="DistillStageException">A stage failed; earlier outputs are kept, and running again continues.</exception>
    public static Task<DistillReport> RunAsync(LoadedRecipe recipe, IDistillProgress? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(recipe, new DistillRunOptions(), progress, cancellationToken);

    /// <summary>
    /// Runs (or skips, or resumes) every stage of <paramref name="recipe"/> in the work folder of <paramref name="options"/>,
    /// copies the GGUF to the export path and writes <c>distill-report.json</c>, which it also returns.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="options"/> is invalid.</exception>
    /// <exception cref="DistillConfigurationException">The recipe, agent folder or work folder is not usable; nothing ran.</exception>
    /// <exception cref="DistillStageException">A stage failed; earlier outputs are kept, and running again continues.</exception>
    public static async Task<DistillReport> RunAsync(LoadedRecipe recipe, DistillRunOptions options, IDistillProgress? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        var context = new DistillContext(recipe, options.ResolveWorkFolder(recipe), options.Threads, progress ?? new SilentDistillProgress(), options.Time);
        using var pipeline = new DistillPipeline(context);
        return await pipeline.RunAsync(options.ExportPath ?? recipe.DefaultExportPath, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Builds the stages; throws <see cref="DistillConfigurationException"/> when an input the teacher needs is missing.</summary>
    internal DistillPipeline(DistillContext context)
    {
        _context = context;
        var stages = new List<PlannedStage>();
        var recipe = context.Recipe.Recipe;
        ITeacherStage teacher = recipe.Teacher.Kind switch
        {
            TeacherRecipe.Atlas => AtlasTeacherStage.ForRecipe(context),
            TeacherRecipe.Endpoint => new EndpointTeacherStage(context),
            _ => new RecordedTeacherStage(context),
        };
        stages.Add(new PlannedStage(teacher, []));
        List<ITeacherStage> teachers = [teacher];
        if (recipe.Synthetic is { } synthetic)
        {
            var world = new SyntheticAtlasStage(context, synthetic);
            var syntheticTeacher = AtlasTeacherStage.ForSyntheticAgent(context);
            stages.Add(new PlannedStage(world, []));
            stages.Add(new PlannedStage(syntheticTeacher, [world.Name]));
            teachers.Add(syntheticTeacher);
        }
        var sftData = new SftDataStage(context, teachers);
        var sft = new SftStage(context);
        stages.Add(new PlannedStage(sftData, [.. teachers.Select(t => t.Name)]));
        if (recipe.Student is null)
        {
            var tokenizer = new TokenizerStage(context);
            stages.Add(new PlannedStage(tokenizer, [sftData.Name]));
            stages.Add(new PlannedStage(sft, [sftData.Name, tokenizer.Name]));
        }
        else
        {
            stages.Add(new PlannedStage(sft, [sftData.Name])); // the checkpoint's tokenizer
        }
        var gguf = new GgufStage(context);
        stages.Add(new PlannedStage(gguf, [sft.Name]));
        if (recipe.Export.Hf is { } hf)
            stages.Add(new PlannedStage(new HfStage(context, hf), [sft.Name]));
        if (recipe.Eval is { } eval)
            stages.Add(new PlannedStage(new EvalStage(context, eval), [gguf.Name]));
        _stages = stages;
    }

    /// <summary>The stages' names in the order they run.</summary>
    internal IReadOnlyList<string> StageNames => [.. _stages.Select(s => s.Stage.Name)];

    /// <summary>Runs (or skips) every stage and copies the GGUF to <paramref name="exportPath"/>.</summary>
    /// <exception cref="DistillConfigurationException">The work folder or its recorded settings do not fit the recipe; nothing ran.</exception>
    /// <exception cref="DistillStageException">A stage failed; earlier outputs are kept.</exception>
    internal async Task<DistillReport> RunAsync(string exportPath, CancellationToken cancellationToken = default)
    {
        var started = _context.Time.GetTimestamp();
        PrepareWorkFolder();
        var ledger = StageLedger.Open(_context.WorkFolder);
        var plans = Plan(ledger);
        var stages = _stages.Select(s => s.Stage).ToList();
        foreach (var (stage, plan) in stages.Zip(plans))
        {
            if (plan != StagePlan.Skip)
                stage.Preflight();
        }
        // Outputs remade from scratch go first, before any stage runs: a stale "done" must never outlive new input.
        foreach (var (stage, plan) in stages.Zip(plans))
        {
            if (plan != StagePlan.Run)
                continue;
            ledger.Forget(stage.Name);
            stage.Reset();
        }

        var timings = new List<StageTiming>();
        var results = new Dictionary<string, JsonNode>();
        foreach (var (stage, plan) in stages.Zip(plans))
        {
            if (plan == StagePlan.Skip)
            {
                _context.Progress.StageSkipped(stage.Name, $"output complete ({stage.Output})");
                timings.Add(new StageTiming(stage.Name, "skipped", "skipped"));
                results[stage.Name] = ledger.Get(stage.Name)!.Results!;
                continue;
            }
            _context.Progress.StageStarted(stage.Name, $"{(plan == StagePlan.Resume ? "resuming" : "starting")} → {stage.Output}");
            ledger.Start(stage.Name, stage.Parameters);
            var stageStarted = _context.Time.GetTimestamp();
            JsonNode figures;
            try
            {
                figures = await stage.RunAsync(plan == StagePlan.Resume, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                throw new DistillStageException(stage.Name, ex.Message, ex);
            }
            var seconds = _context.Time.GetElapsedTime(stageStarted).TotalSeconds;
            ledger.Finish(stage.Name, figures, seconds);
            results[stage.Name] = figures;
            timings.Add(new StageTiming(stage.Name, plan == StagePlan.Resume ? "resumed" : "ran", Math.Round(seconds, 2)));
            _context.Progress.StageFinished(stage.Name, stage.Summarize(figures), seconds);
        }

        var gguf = StageFiles.FromNode<GgufFigures>(results["gguf"]);
        CopyModel(gguf.Path, exportPath);
        var hf = results.TryGetValue("hf", out var hfNode) ? StageFiles.FromNode<HfFigures>(hfNode) : null;
        var hfModel = hf is null ? null : Path.GetFullPath(_context.Recipe.Recipe.Export.Hf!.Out, _context.Recipe.AgentFolder);
        if (hf is not null)
            CopyFolder(hf.Path, hfModel!);
        var report = new DistillReport(_context.Recipe.Path, _context.WorkFolder, Path.GetFullPath(exportPath),
            Math.Round(_context.Time.GetElapsedTime(started).TotalSeconds, 2), timings,
            StageFiles.FromNode<TeacherFigures>(results["teacher"]), StageFiles.FromNode<SftDataFigures>(results["sft-data"]),
            results.TryGetValue("tokenizer", out var tokenizer) ? StageFiles.FromNode<TokenizerFigures>(tokenizer) : null,
            StageFiles.FromNode<SftFigures>(results["sft"]), gguf,
            results.TryGetValue("synthetic", out var synthetic) ? StageFiles.FromNode<SyntheticFigures>(synthetic) : null,
            results.TryGetValue("teacher-synthetic", out var syntheticTeacher) ? StageFiles.FromNode<TeacherFigures>(syntheticTeacher) : null)
        {
            Hf = hf,
            HfModel = hfModel,
            Eval = results.TryGetValue("eval", out var eval) ? StageFiles.FromNode<EvalFigures>(eval) : null,
        };
        File.WriteAllText(_context.Work(WorkFiles.Report), JsonSerializer.Serialize(report, s_report));
        return report;
    }

    /// <summary>
    /// What each stage will do. A stage with output is checked against its recorded settings; a stage any of whose
    /// inputs is not skipped is remade (its input changes), without that check.
    /// </summary>
    private List<StagePlan> Plan(StageLedger ledger)
    {
        var plans = new Dictionary<string, StagePlan>();
        foreach (var (stage, inputs) in _stages)
        {
            if (inputs.Any(input => plans[input] != StagePlan.Skip))
            {
                plans[stage.Name] = StagePlan.Run;
                continue;
            }
            var record = ledger.Get(stage.Name);
            if (record is not null && stage.HasOutput)
            {
                var differences = StageLedger.Differences(record.Parameters, stage.Parameters);
                if (differences.Count > 0)
                    throw new DistillConfigurationException(
                        $"stage '{stage.Name}' in {_context.WorkFolder} was made with other settings than the recipe's (recorded → recipe):\n  " +
                        string.Join("\n  ", differences) +
                        $"\nRestore the recorded settings, pass another --work folder, or delete {stage.Output} from the work folder to remake it and every stage made from it.");
            }
            plans[stage.Name] = stage.Assess(record);
        }
        return [.. _stages.Select(s => plans[s.Stage.Name])];
    }

    private void PrepareWorkFolder()
    {
        var folder = _context.WorkFolder;
        // The pipeline deletes stale outputs by name: refuse a folder it did not create, so it never deletes someone else's files.
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any() && !File.Exists(Path.Combine(folder, StageLedger.FileName)))
            throw new DistillConfigurationException($"work folder {folder} is not empty and holds no {StageLedger.FileName}: pass an empty or new --work folder.");
        Directory.CreateDirectory(folder);
    }

    private static void CopyModel(string source, string destination)
    {
        var full = Path.GetFullPath(destination);
        if (string.Equals(full, Path.GetFullPath(source), StringComparison.Ordinal))
            return;
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var staging = full + ".tmp";
        File.Copy(source, staging, overwrite: true);
        File.Move(staging, full, overwrite: true);
    }

    // Files are copied over those of the same name; other files in the destination are left alone (it may be a user's folder).
    private static void CopyFolder(string source, string destination)
    {
        var full = Path.GetFullPath(destination);
        if (string.Equals(full, Path.GetFullPath(source), StringComparison.Ordinal))
            return;
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            CopyModel(file, Path.Combine(full, Path.GetRelativePath(source, file)));
    }

    /// <summary>Closes what the stages opened (the teachers' tool indexes).</summary>
    public void Dispose()
    {
        foreach (var stage in _stages.Select(s => s.Stage).OfType<IDisposable>())
            stage.Dispose();
    }

    /// <summary>A stage and the names of the earlier stages whose outputs it is made from.</summary>
    private sealed record PlannedStage(IDistillStage Stage, IReadOnlyList<string> Inputs);
}
