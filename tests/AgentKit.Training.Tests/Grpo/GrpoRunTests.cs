using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Export;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Training.Tests.Grpo;

/// <summary>
/// <see cref="GrpoRun"/> end to end on a tiny checkpoint the test writes: tasks whose answer is a fixed pattern of band
/// tokens (<see cref="ToyTask"/>), rewards by name, files, report figures, resume, a GGUF init, and the refusals.
/// </summary>
public sealed class GrpoRunTests
{
    // The answer is a fixed run of band tokens: "answer_f1" rewards saying it, "band" (custom) rewards band tokens at all.
    private static readonly string Pattern = ToyTask.Tokenizer.Decode([ToyTask.BandStart, ToyTask.BandStart + 1, ToyTask.BandStart + 2]);

    private static string WriteTasks(string dir, bool withAnswers = true)
    {
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "tasks.jsonl");
        var lines = ToyTask.Tasks.Take(4).Select(t => JsonSerializer.Serialize(withAnswers
            ? new Dictionary<string, string> { ["id"] = t.Id, ["question"] = t.Question, ["answer"] = Pattern }
            : new Dictionary<string, string> { ["id"] = t.Id, ["question"] = t.Question }));
        File.WriteAllLines(path, [.. lines, "{not json"]);
        return path;
    }

    private static string WriteCheckpoint(string dir)
    {
        var path = Path.Combine(dir, "init");
        using var model = ToyTask.NewModel(seed: 11);
        CheckpointIO.Save(model, path);
        ToyTask.Tokenizer.Save(Path.Combine(path, "tokenizer.json"));
        return path;
    }

    private static GrpoRunOptions Options(string dir, string init, string output, int steps, bool resume = false) => new()
    {
        TasksPath = WriteTasks(dir), Init = init, Rewards = "answer_f1,band:0.5", CustomRewards = [ToyTask.Reward], Resume = resume,
        Trainer = new GrpoOptions
        {
            OutputDirectory = output, MaxSteps = steps, GroupSize = 4, PromptsPerStep = 2, MaxCompletionLength = ToyTask.Length,
            LearningRate = 3e-3, Seed = 5, Threads = 1,
        },
    };

    [Fact]
    public void Tasks_given_directly_replace_the_task_file_and_must_be_distinct()
    {
        var dir = TinyFixtures.TempDir();
        var given = ToyTask.Tasks.Take(3).ToList();
        var options = Options(dir, WriteCheckpoint(dir), Path.Combine(dir, "run"), steps: 1) with
        {
            TasksPath = "questions.jsonl", Tasks = given, Rewards = "band", // no answers: a reward that needs none
        };

        using (var run = GrpoRun.Open(options))
        {
            Assert.Equal(3, run.Tasks);
            Assert.Empty(run.TaskWarnings);
        }
        Assert.Throws<ArgumentException>(() => (options with { Tasks = [] }).Validate());
        var repeated = Assert.Throws<ArgumentException>(() => (options with { Tasks = [given[0], given[0]] }).Validate());
        Assert.Contains(given[0].Id, repeated.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tasks_whose_prompt_leaves_no_room_for_a_completion_are_skipped_up_front_and_reported()
    {
        var dir = TinyFixtures.TempDir();
        var init = WriteCheckpoint(dir);
        using var model = ToyTask.NewModel(seed: 11);
        var context = model.Config.MaxPositionEmbeddings;
        var tooLong = new AgentKit.Abstractions.Trajectories.TrajectoryTask("long", string.Concat(Enumerable.Repeat(ToyTask.Tasks[0].Question + " ", context)));
        var options = Options(dir, init, Path.Combine(dir, "run"), steps: 1) with
        {
            TasksPath = "questions.jsonl", Tasks = [.. ToyTask.Tasks.Take(2), tooLong], Rewards = "band",
        };

        using (var run = GrpoRun.Open(options))
        {
            Assert.Equal(2, run.Tasks);
            var warning = Assert.Single(run.TaskWarnings, w => w.Contains("'long'", StringComparison.Ordinal));
            Assert.Contains($"model's context of {context}", warning, StringComparison.Ordinal);
        }
        var none = Assert.Throws<InvalidDataException>(() => GrpoRun.Open(options with { Tasks = [tooLong], Trainer = options.Trainer with { OutputDirectory = Path.Combine(dir, "run2") } }));
        Assert.Contains("no task's prompt fits", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_writes_its_files_and_reports_figures_that_match_them()
    {
        var dir = TinyFixtures.TempDir();
        var output = Path.Combine(dir, "run");
        var seen = new List<GrpoStepMetrics>();

        var report = await GrpoRun.RunAsync(Options(dir, WriteCheckpoint(dir), output, steps: 3), new Collect(seen));

        Assert.Equal([1, 2, 3], seen.Select(m => m.Step));
        Assert.Equal((3, 0, 3), (report.Steps, report.ResumedFromStep, report.StepsRun));
        Assert.Equal((4, 1), (report.Tasks, report.SkippedTaskLines));
        Assert.Equal([new RewardChoice("answer_f1", 1), new RewardChoice("band", 0.5)], report.Rewards);
        Assert.Equal(nameof(PolicyRolloutSource), report.RolloutSource);
        Assert.Null(report.ImportedFrom);
        Assert.Equal(report.Parameters, report.TrainableParameters);

        var metrics = File.ReadAllLines(report.Metrics).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(3, metrics.Count);
        Assert.Equal(Math.Round(metrics[0]["reward_mean"]!.GetValue<double>(), 4), report.RewardFirst);
        Assert.Equal(Math.Round(metrics[^1]["reward_mean"]!.GetValue<double>(), 4), report.RewardLast);
        Assert.InRange(report.RewardFirst!.Value, 0, 1.5); // weights 1 + 0.5
        Assert.InRange(report.FracRewardZeroStdMean!.Value, 0, 1);
        Assert.Equal(3 * 2 * 4, File.ReadAllLines(report.Rollouts).Length);
        Assert.True(File.Exists(report.Plot));
        Assert.True(CheckpointIO.IsCheckpoint(report.FinalCheckpoint));

        Assert.True(report.RolloutSeconds > 0 && report.UpdateSeconds > 0);
        Assert.True(report.Seconds >= report.RolloutSeconds + report.UpdateSeconds - 0.02, $"{report.Seconds} < {report.RolloutSeconds} + {report.UpdateSeconds}");
        Assert.InRange(report.RolloutShare, 0.01, 0.99);
        Assert.True(report.RolloutTokensPerSecond > 0 && report.UpdateTokensPerSecond > 0);

        // The weights reached the trainer: the recorded options carry them in the spec's order.
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(report.FinalCheckpoint, CheckpointFiles.TrainingConfig)))!;
        Assert.Equal([1.0, 0.5], record["Grpo"]!["RewardWeights"]!.AsArray().Select(w => w!.GetValue<double>()));
        Assert.Equal(["answer_f1", "band"], record["Rewards"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public async Task Resume_continues_the_run_to_the_parameters_of_an_uninterrupted_one()
    {
        var dir = TinyFixtures.TempDir();
        var init = WriteCheckpoint(dir);
        var straight = await GrpoRun.RunAsync(Options(dir, init, Path.Combine(dir, "straight"), steps: 4));

        var output = Path.Combine(dir, "resumed");
        await GrpoRun.RunAsync(Options(dir, init, output, steps: 2));
        var resumed = await GrpoRun.RunAsync(Options(dir, init, output, steps: 4, resume: true));

        Assert.Equal((4, 2, 2), (resumed.Steps, resumed.ResumedFromStep, resumed.StepsRun));
        Assert.Equal(4, File.ReadAllLines(resumed.Metrics).Length);
        using var a = CheckpointIO.Load(straight.FinalCheckpoint);
        using var b = CheckpointIO.Load(resumed.FinalCheckpoint);
        var expected = a.state_dict();
        foreach (var (name, value) in b.state_dict())
            Assert.True(value.eq(expected[name]).all().item<bool>(), $"{name} differs after resuming");
    }

    [Fact]
    public async Task An_output_holding_a_run_is_refused_without_resume_and_left_as_it_was()
    {
        var dir = TinyFixtures.TempDir();
        var init = WriteCheckpoint(dir);
        var output = Path.Combine(dir, "run");
        var first = await GrpoRun.RunAsync(Options(dir, init, output, steps: 1));
        var metrics = File.ReadAllText(first.Metrics);

        var error = Assert.Throws<InvalidOperationException>(() => GrpoRun.Open(Options(dir, init, output, steps: 2)));

        Assert.Contains("already holds files", error.Message);
        Assert.Contains("--resume", error.Message);
        Assert.Equal(metrics, File.ReadAllText(first.Metrics));
    }

    [Fact]
    public async Task Resuming_from_another_init_is_refused()
    {
        var dir = TinyFixtures.TempDir();
        var output = Path.Combine(dir, "run");
        await GrpoRun.RunAsync(Options(dir, WriteCheckpoint(dir), output, steps: 1));
        var other = WriteCheckpoint(Path.Combine(dir, "other"));

        var error = Assert.Throws<InvalidOperationException>(() => GrpoRun.Open(Options(dir, other, output, steps: 2, resume: true)));

        Assert.Contains("would not continue the same run", error.Message);
    }

    [Fact]
    public async Task A_gguf_init_is_imported_into_the_output_once_and_a_resume_reads_that_import()
    {
        var dir = TinyFixtures.TempDir();
        var gguf = Path.Combine(dir, "model.gguf");
        using (var model = ToyTask.NewModel(seed: 11))
            GgufExporter.Export(model, ToyTask.Tokenizer, gguf, new GgufExportOptions { Type = GgufExportType.F32 });
        var output = Path.Combine(dir, "run");

        var first = await GrpoRun.RunAsync(Options(dir, gguf, output, steps: 1) with { Rewards = "band" });
        var imported = Path.Combine(output, "init");
        Assert.Equal(Path.GetFullPath(imported), first.InitCheckpoint);
        Assert.Equal(Path.GetFullPath(gguf), first.ImportedFrom);
        var importedAt = File.GetLastWriteTimeUtc(Path.Combine(imported, CheckpointFiles.Weights));

        var second = await GrpoRun.RunAsync(Options(dir, gguf, output, steps: 2, resume: true) with { Rewards = "band" });

        Assert.Equal(1, second.ResumedFromStep);
        Assert.Equal(importedAt, File.GetLastWriteTimeUtc(Path.Combine(imported, CheckpointFiles.Weights)));
    }

    [Fact]
    public async Task Lora_trains_fewer_parameters_and_a_factory_supplies_the_rollout_source()
    {
        var dir = TinyFixtures.TempDir();
        var init = WriteCheckpoint(dir);
        GrpoRolloutContext? given = null;
        var options = Options(dir, init, Path.Combine(dir, "run"), steps: 1) with
        {
            Rewards = "band",
            RolloutSource = context =>
            {
                given = context;
                return new PolicyRolloutSource(context.Tokenizer, promptOf: task => "Pattern: " + task.Question);
            },
        };
        options = options with { Trainer = options.Trainer with { Lora = new AgentKit.Training.Model.LoraSettings { Rank = 2, Alpha = 4 } } };

        var report = await GrpoRun.RunAsync(options);

        Assert.NotNull(given);
        Assert.Equal(Path.GetFullPath(init), given.InitCheckpoint);
        Assert.Equal(4, given.Tasks.Count);
        Assert.Equal(ToyTask.Tokenizer.VocabSize, given.Tokenizer.VocabSize);
        Assert.True(report.TrainableParameters < report.Parameters / 5, $"{report.TrainableParameters} of {report.Parameters}");
        Assert.True(File.Exists(Path.Combine(report.FinalCheckpoint, CheckpointFiles.AdapterConfig)));
    }

    [Fact]
    public void An_answer_reward_with_tasks_lacking_answers_is_refused_before_anything_is_written()
    {
        var dir = TinyFixtures.TempDir();
        var output = Path.Combine(dir, "run");
        var options = Options(dir, WriteCheckpoint(dir), output, steps: 1) with { TasksPath = WriteTasks(Path.Combine(dir, "x"), withAnswers: false) };

        var error = Assert.Throws<InvalidDataException>(() => GrpoRun.Open(options));

        Assert.Equal("task 'toy-0' (and 3 more) has no answer; the 'answer_f1' reward compares with it.", error.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Cuda_without_cuda_is_refused_before_anything_is_read()
    {
        var dir = TinyFixtures.TempDir();
        var output = Path.Combine(dir, "run");
        var options = Options(dir, Path.Combine(dir, "missing.gguf"), output, steps: 1);
        options = options with { Trainer = options.Trainer with { Device = ComputeDevice.Cuda } };
        if (TorchSharp.torch.cuda.is_available())
            return; // this check is about machines without CUDA (CI)

        var error = Assert.Throws<InvalidOperationException>(() => GrpoRun.Open(options));

        Assert.StartsWith("device cuda: CUDA is not available", error.Message);
        Assert.False(Directory.Exists(output));
    }

    private sealed class Collect(List<GrpoStepMetrics> into) : IProgress<GrpoStepMetrics>
    {
        public void Report(GrpoStepMetrics value) => into.Add(value);
    }
}
