using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Atlas.Questions;
using AgentKit.Atlas.Teacher;
using AgentKit.Core.Trajectories;
using AgentKit.Hosting.Evaluation;
using AgentKit.Server;
using AgentKit.Training.Checkpoints;

namespace AgentKit.Distillation.Tests;

/// <summary>
/// The paper's recipe shape at tiny scale, run once for the class: the atlas programmatic teacher served by a real
/// in-process OpenAI-compatible server (take-over mode) is the endpoint teacher over two task files; a tiny Qwen2
/// checkpoint in HF layout is the student, fine-tuned with LoRA on all linear layers; then GGUF, HF export and a
/// one-question benchmark evaluation. The first run is stopped after the first teacher run; the second resumes the
/// teacher and runs everything else; the third skips every stage.
/// </summary>
public sealed class EndpointDistilledStudent : IAsyncLifetime
{
    public const string RecipeFile = "paper-tiny.json";

    private OpenAICompatibleServer? _server;
    private Exception? _failure;

    public string Folder { get; private set; } = "";

    public string Work => Path.Combine(Folder, "work");

    public string RecipePath => Path.Combine(Folder, RecipeFile);

    public string StudentFolder { get; private set; } = "";

    public RecordingDistillProgress Stopped { get; } = new();

    public RecordingDistillProgress Resumed { get; } = new();

    public RecordingDistillProgress Again { get; } = new();

    public bool FirstRunWasCancelled { get; private set; }

    public int LinesAtStop { get; private set; }

    public DistillReport? Report { get; private set; }

    public DistillReport? SecondReport { get; private set; }

    public string ReportJson { get; private set; } = "";

    public async Task InitializeAsync()
    {
        try
        {
            Folder = TinyDistillAgent.Create();
            var questions = QuestionFile.Read(Path.Combine(Folder, "questions", "train.jsonl"));
            _server = new OpenAICompatibleServer(new TeacherCandidateGenerator(questions, takeOver: true), new ServerOptions { Port = 0, ModelName = "atlas-teacher" });
            var url = (await _server.StartAsync()).ToString();
            StudentFolder = TinyHfStudent.Create();
            WriteTaskFiles(questions);
            TinyDistillAgent.WriteRecipe(Folder, Recipe(url, StudentFolder), RecipeFile);

            using var stop = new CancellationTokenSource();
            var stopping = new RecordingDistillProgress { AfterTeacherRun = runs => { if (runs == 1) stop.Cancel(); } };
            try
            {
                await TinyDistillAgent.RunAsync(RecipePath, Work, stopping, cancellationToken: stop.Token);
            }
            catch (OperationCanceledException)
            {
                FirstRunWasCancelled = true;
            }
            Stopped.Events.AddRange(stopping.Events);
            LinesAtStop = File.ReadLines(Path.Combine(Work, WorkFiles.Teacher)).Count(l => l.Length > 0);

            Report = await TinyDistillAgent.RunAsync(RecipePath, Work, Resumed);
            ReportJson = File.ReadAllText(Path.Combine(Work, WorkFiles.Report));
            SecondReport = await TinyDistillAgent.RunAsync(RecipePath, Work, Again);
        }
        catch (Exception ex)
        {
            _failure = ex;
        }
    }

    /// <summary>Four atlas questions as two task files: JSONL, and the paper's JSON <c>{"examples": […]}</c> numbered 1, 2 (no ids); two more as a benchmark set.</summary>
    private void WriteTaskFiles(IReadOnlyList<AtlasQuestion> questions)
    {
        Directory.CreateDirectory(Path.Combine(Folder, "tasks"));
        File.WriteAllLines(Path.Combine(Folder, "tasks", "set_a.jsonl"),
            questions.Take(2).Select(q => new JsonObject { ["id"] = q.Id, ["question"] = q.Question, ["answer"] = q.Answer }.ToJsonString()));
        var examples = new JsonArray([.. questions.Skip(2).Take(2).Select(q => (JsonNode)new JsonObject { ["question"] = q.Question, ["answer"] = q.Answer })]);
        File.WriteAllText(Path.Combine(Folder, "tasks", "set_b.json"), new JsonObject { ["examples"] = examples }.ToJsonString());
        var bench = new JsonArray([.. questions.Skip(4).Select((q, i) => (JsonNode)new JsonObject { ["id"] = $"b{i}", ["question"] = q.Question, ["answer"] = q.Answer })]);
        File.WriteAllText(Path.Combine(Folder, "tasks", "atlas_test.json"),
            new JsonObject { ["metadata"] = new JsonObject { ["dataset_info"] = new JsonObject { ["name"] = "atlas" } }, ["examples"] = bench }.ToJsonString());
    }

    public static JsonObject Recipe(string url, string student) => new()
    {
        ["teacher"] = new JsonObject
        {
            ["kind"] = "endpoint", ["endpoint"] = url, ["model"] = "atlas-teacher", ["tasks"] = new JsonArray("tasks/set_a.jsonl", "tasks/set_b.json"),
            ["temperature"] = 0, ["max_steps"] = 6, ["concurrency"] = 1, ["max_retries"] = 1, ["no_grammar"] = true,
            ["filter_parse_errors"] = true, ["timeout_ms"] = 20000,
        },
        ["only_correct"] = false,
        ["student"] = new JsonObject { ["init"] = student },
        ["sft"] = new JsonObject
        {
            ["max_steps"] = 2, ["lr"] = 0.001, ["warmup"] = 1, ["batch_size"] = 1, ["seq_len"] = 1024, ["val_fraction"] = 0,
            ["eval_every"] = 2, ["save_every"] = 1, ["seed"] = 7, ["lora_rank"] = 4, ["lora_alpha"] = 8, ["lora_targets"] = "all-linear", ["device"] = "cpu",
        },
        ["export"] = new JsonObject { ["type"] = "f16", ["out"] = "student.gguf", ["hf"] = new JsonObject { ["out"] = "student-hf", ["merge"] = false } },
        ["eval"] = new JsonObject { ["benchmarks"] = new JsonArray("tasks/atlas_test.json"), ["kind"] = "qa", ["mode"] = "agent", ["n"] = new JsonArray(1), ["limit"] = 1, ["context"] = 2048 },
    };

    /// <summary>Fails the calling test with the runs' error, if they had one.</summary>
    public void AssertRan() => Assert.True(_failure is null, _failure?.ToString());

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

public sealed class EndpointRecipeEndToEndTests(EndpointDistilledStudent tiny) : IClassFixture<EndpointDistilledStudent>
{
    private static readonly string[] Stages = ["teacher", "sft-data", "sft", "gguf", "hf", "eval"];

    [Fact]
    public void A_stopped_endpoint_teacher_is_resumed_and_then_every_stage_runs_without_a_tokenizer_stage()
    {
        tiny.AssertRan();
        Assert.True(tiny.FirstRunWasCancelled);
        Assert.Equal(["started teacher"], tiny.Stopped.Events);
        Assert.InRange(tiny.LinesAtStop, 1, 3);

        Assert.Equal(Stages.SelectMany(s => new[] { $"started {s}", $"finished {s}" }), tiny.Resumed.Events);
        var report = tiny.Report!;
        Assert.Equal(["resumed", "ran", "ran", "ran", "ran", "ran"], report.Stages.Select(s => s.Status));
        Assert.Equal(Stages, report.Stages.Select(s => s.Stage));
        Assert.Equal((4, 4, 4 - tiny.LinesAtStop), (report.Teacher.Questions, report.Teacher.Runs, report.Teacher.NewRuns));
        Assert.Null(report.Tokenizer);
        Assert.DoesNotContain("\"tokenizer\"", tiny.ReportJson);
    }

    [Fact]
    public void The_trajectories_are_the_served_teachers_with_ids_prefixed_by_their_task_file()
    {
        tiny.AssertRan();
        var read = JsonlTrajectoryReader.Read(Path.Combine(tiny.Work, WorkFiles.Teacher));
        Assert.Empty(read.Warnings);
        var ids = read.Records.Select(r => r.Task.Id).ToList();
        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(2, ids.Count(id => id.StartsWith("set_a/", StringComparison.Ordinal)));
        Assert.Equal(["set_b/1", "set_b/2"], ids.Where(id => id.StartsWith("set_b/", StringComparison.Ordinal)).Order());
        Assert.All(read.Records, r => Assert.Equal("atlas-teacher", r.Model.Name));
        Assert.Equal(4, tiny.Report!.Teacher.Correct); // the programmatic teacher answers every question, through HTTP too
        Assert.Equal(4, tiny.Report.SftData.Examples);
    }

    [Fact]
    public void The_student_is_the_checkpoint_fine_tuned_with_lora_and_exported_as_gguf_and_hf()
    {
        tiny.AssertRan();
        var report = tiny.Report!;
        Assert.Equal(2, report.Sft.Steps);
        Assert.True(double.IsFinite(report.Sft.FinalTrainLoss));
        using (var base_ = CheckpointIO.Load(tiny.StudentFolder))
            Assert.Equal(base_.Config.ParameterCount(), report.Sft.Parameters); // the checkpoint's shape, not a recipe's
        var final = Path.Combine(tiny.Work, WorkFiles.Sft, "final");
        Assert.True(File.Exists(Path.Combine(final, CheckpointFiles.AdapterConfig)), "LoRA adapter in the final checkpoint");
        using (var adapter = JsonDocument.Parse(File.ReadAllText(Path.Combine(final, CheckpointFiles.AdapterConfig))))
        {
            var targets = adapter.RootElement.GetProperty("target_modules").EnumerateArray().Select(t => t.GetString()).Order().ToList();
            Assert.Equal(["down_proj", "gate_proj", "k_proj", "o_proj", "q_proj", "up_proj", "v_proj"], targets);
            Assert.Equal(4, adapter.RootElement.GetProperty("r").GetInt32());
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(tiny.StudentFolder, "tokenizer.json")), File.ReadAllBytes(Path.Combine(final, "tokenizer.json")));

        Assert.Equal(Path.Combine(tiny.Folder, "student.gguf"), report.Model);
        Assert.Equal(File.ReadAllBytes(report.Gguf.Path), File.ReadAllBytes(report.Model));
        Assert.NotNull(report.Hf!.Adapter);
        Assert.Equal(Path.Combine(tiny.Folder, "student-hf"), report.HfModel);
        Assert.True(File.Exists(Path.Combine(report.HfModel!, "adapter", CheckpointFiles.AdapterConfig)));
        Assert.True(CheckpointIO.IsCheckpoint(report.HfModel!));
    }

    [Fact]
    public void The_eval_stage_writes_the_benchmark_results_of_the_exported_student()
    {
        tiny.AssertRan();
        var eval = tiny.Report!.Eval!;
        Assert.Equal(Path.Combine(tiny.Work, WorkFiles.Eval), eval.Results);
        var results = BenchmarkReportFile.Load(eval.Results);
        Assert.Equal(BenchmarkMode.Agent, results.Mode);
        var set = Assert.Single(results.Sets);
        Assert.Equal(("atlas", 1, 1), (set.Name, set.N, set.Questions)); // eval.limit 1 of the set's 2
        Assert.Equal(set.Accuracy, Assert.Single(eval.Sets).Accuracy);
        Assert.Equal(1, Assert.Single(eval.Averages).N);
    }

    [Fact]
    public void A_third_run_skips_every_stage_and_reports_the_same_figures()
    {
        tiny.AssertRan();
        Assert.Equal(Stages.Select(s => $"skipped {s}"), tiny.Again.Events);
        var second = tiny.SecondReport!;
        Assert.All(second.Stages, s => Assert.Equal("skipped", s.Status));
        Assert.Equal(tiny.Report!.Sft, second.Sft);
        Assert.Equal(tiny.Report.Eval!.Averages, second.Eval!.Averages);
    }

    [Fact]
    public async Task A_changed_lora_rank_names_the_sft_stage_and_the_key()
    {
        tiny.AssertRan();
        var recipe = JsonNode.Parse(File.ReadAllText(tiny.RecipePath), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        recipe["sft"]!["lora_rank"] = 8;
        var changed = TinyDistillAgent.WriteRecipe(tiny.Folder, recipe, "changed.json");

        var ex = await Assert.ThrowsAsync<DistillConfigurationException>(() => TinyDistillAgent.RunAsync(changed, tiny.Work));
        Assert.Contains("stage 'sft'", ex.Message);
        Assert.Contains("lora_rank: 4 → 8", ex.Message);
    }
}
