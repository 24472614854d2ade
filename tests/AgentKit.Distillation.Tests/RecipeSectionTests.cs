using System.Text.Json.Nodes;
using AgentKit.Hosting.Evaluation;
using AgentKit.Training.Model;

namespace AgentKit.Distillation.Tests;

/// <summary>
/// The recipe keys beyond the atlas pipeline: the endpoint teacher, a student from a checkpoint with LoRA, the HF export
/// and the eval stage; their errors name the key, and the atlas recipe keeps its stages and ledger settings.
/// </summary>
public sealed class RecipeSectionTests
{
    private static JsonObject Paper() => EndpointDistilledStudent.Recipe("http://127.0.0.1:8000/v1", "models/Qwen2.5-0.5B-Instruct");

    private static DistillConfigurationException Refused(JsonObject recipe) =>
        Assert.Throws<DistillConfigurationException>(() => DistillRecipeLoader.Parse(recipe.ToJsonString(), "r.json"));

    [Fact]
    public void An_endpoint_teacher_and_a_checkpoint_student_read_every_key()
    {
        var recipe = DistillRecipeLoader.Parse(Paper().ToJsonString());

        var teacher = recipe.Teacher;
        Assert.Equal((TeacherRecipe.Endpoint, "http://127.0.0.1:8000/v1", "atlas-teacher"), (teacher.Kind, teacher.EndpointUrl, teacher.Model));
        Assert.Equal(["tasks/set_a.jsonl", "tasks/set_b.json"], teacher.Tasks);
        var host = teacher.ToHostSettings("agents/paper");
        Assert.Equal(("http://127.0.0.1:8000/v1", "atlas-teacher", 0f, 6, true, 1, 20000), (host.Endpoint, host.ModelName, host.Temperature, host.MaxSteps,
            host.NoGrammar, host.EndpointRetry.MaxRetries, host.TimeoutMs));
        var record = teacher.ToRecordOptions("out.jsonl");
        Assert.Equal((false, false, true, 1), (record.FirstThought, record.FilterCorrect, record.FilterParseErrors, record.Concurrency));

        Assert.Equal("models/Qwen2.5-0.5B-Instruct", recipe.Student!.Init);
        Assert.Null(recipe.Tokenizer);
        Assert.Null(recipe.Model);
        var lora = recipe.Sft.ToLora()!;
        Assert.Equal((4, 8.0, 0.0), (lora.Rank, lora.Alpha, lora.Dropout));
        Assert.Equal(LoraSettings.AllLinear, lora.TargetModules);
        Assert.Equal(AgentKit.Training.ComputeDevice.Cpu, recipe.Sft.ToOptions("d", "o", null).Device);
        Assert.Equal(("student-hf", false, "f32"), (recipe.Export.Hf!.Out, recipe.Export.Hf.Merge, recipe.Export.Hf.Dtype));
        var eval = recipe.Eval!.ToOptions();
        Assert.Equal((BenchmarkMode.Agent, 1, false), (eval.Mode, eval.Limit, eval.FirstThought));
        Assert.Equal([1], eval.CandidateCounts);
    }

    [Fact]
    public void The_shipped_paper_recipe_is_the_papers_setting()
    {
        var loaded = DistillRecipeLoader.Load(Path.Combine(TinyDistillAgent.RepoRoot(), "agents", "paper", "distill.json"));
        var recipe = loaded.Recipe;

        Assert.Equal("paper", loaded.AgentName);
        Assert.Equal((TeacherRecipe.Endpoint, "http://127.0.0.1:8000/v1", "Qwen/Qwen2.5-32B-Instruct"), (recipe.Teacher.Kind, recipe.Teacher.EndpointUrl, recipe.Teacher.Model));
        Assert.Equal((true, true, true, true, 16, 5), (recipe.Teacher.FirstThought, recipe.Teacher.FilterCorrect, recipe.Teacher.FilterParseErrors,
            recipe.Teacher.NoGrammar, recipe.Teacher.Concurrency, recipe.Teacher.MaxRetries));
        Assert.Equal(3, recipe.Teacher.Tasks!.Count);
        Assert.Equal(Path.Combine(TinyDistillAgent.RepoRoot(), "models", "Qwen2.5-0.5B-Instruct"), loaded.FromRecipe(recipe.Student!.Init));
        var sft = recipe.Sft.ToOptions("d", "o", null);
        Assert.Equal((64, 128.0, 2e-4, 2, 4096, AgentKit.Training.ComputeDevice.Cuda), (sft.Lora!.Rank, sft.Lora.Alpha, sft.LearningRate, sft.Epochs,
            sft.SequenceLength, sft.Device));
        Assert.Equal(LoraSettings.AllLinear, sft.Lora.TargetModules);
        Assert.Equal(Path.Combine(TinyDistillAgent.RepoRoot(), "students", "0.5B.gguf"), loaded.DefaultExportPath);
        Assert.Equal(8, recipe.Eval!.Benchmarks.Count);
        Assert.Equal([1, 8], recipe.Eval.N);
        Assert.Equal(("Qwen/Qwen2.5-32B-Instruct", -1, true), (recipe.Eval.JudgeModel, recipe.Eval.GpuLayers, recipe.Eval.FirstThought));
    }

    public static TheoryData<string, JsonNode?, string> InvalidValues => new()
    {
        { "teacher.endpoint", "ftp://host/v1", "teacher.endpoint must be an http(s) URL" },
        { "teacher.endpoint", null, "teacher.endpoint must be an http(s) URL" },
        { "teacher.model", null, "teacher.model is required for kind \"endpoint\"" },
        { "teacher.tasks", new JsonArray(), "teacher.tasks is required for kind \"endpoint\"" },
        { "teacher.tasks", new JsonArray("a.json", "a.json"), "teacher.tasks lists a file twice" },
        { "teacher.concurrency", 0, "teacher.concurrency must be between 1 and 64, got 0" },
        { "teacher.max_retries", 30, "teacher.max_retries must be between 0 and 20, got 30" },
        { "teacher.requests_per_minute", 0, "teacher.requests_per_minute must be > 0" },
        { "teacher.temperature", -1, "teacher.temperature must be >= 0" },
        { "teacher.max_steps", 0, "teacher.max_steps must be between 1 and 100" },
        { "teacher.timeout_ms", 10, "teacher.timeout_ms must be between 100 and 600000" },
        { "teacher.questions", "q.jsonl", "belong to kinds \"atlas\" and \"trajectories\"; kind \"endpoint\" reads teacher.tasks" },
        { "teacher.colour", 1, "unknown key \"colour\"" },
        { "student.init", " ", "student.init must be a checkpoint folder" },
        { "student.init", null, "missing required key(s) 'init'" },
        { "student.base", "x", "unknown key \"base\"" },
        { "sft.lora_rank", 0, "sft.lora_rank must be >= 1, got 0" },
        { "sft.lora_rank", null, "sft.lora_alpha, sft.lora_dropout and sft.lora_targets need sft.lora_rank" },
        { "sft.lora_targets", "q_proj,qkv", "sft.lora_*: Unknown LoRA target module(s) qkv" },
        { "sft.lora_alpha", 0, "sft.lora_*: LoRA alpha must be > 0" },
        { "sft.device", "tpu", "sft.device must be \"cpu\" or \"cuda\", got \"tpu\"" },
        { "export.hf.out", " ", "export.hf.out must be a folder path" },
        { "export.hf.dtype", "q8_0", "export.hf.dtype must be \"f32\", \"bf16\" or \"f16\"" },
        { "export.hf.shards", 2, "unknown key \"shards\"" },
        { "eval.benchmarks", new JsonArray(), "eval.benchmarks must list one or more benchmark files" },
        { "eval.mode", "chat", "eval.mode must be \"agent\" or \"cot\"" },
        { "eval.n", new JsonArray(0), "eval.n count N must be between 1 and 64" },
        { "eval.n", new JsonArray(1, 1), "eval.n counts repeat: 1,1" },
        { "eval.limit", 0, "eval.limit must be at least 1" },
        { "eval.kind", "code", "eval.kind must be \"qa\" or \"math\"" },
        { "eval.judge_endpoint", "http://127.0.0.1:8000/v1", "eval.judge_endpoint and eval.judge_model go together" },
        { "eval.context", 10, "eval.context must be at least 64" },
        { "eval.gpu_layers", -2, "eval.gpu_layers must be >= 0, or -1 for all" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void Invalid_values_of_the_new_keys_are_named(string key, JsonNode? value, string expected)
    {
        var recipe = Paper();
        var parts = key.Split('.');
        var target = recipe;
        foreach (var part in parts[..^1])
            target = target[part]!.AsObject();
        if (value is null)
            target.Remove(parts[^1]);
        else
            target[parts[^1]] = value;

        var ex = Refused(recipe);
        Assert.StartsWith("r.json: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void First_thought_at_evaluation_needs_agent_mode()
    {
        var recipe = Paper();
        recipe["eval"]!["mode"] = "cot";
        recipe["eval"]!["first_thought"] = true;
        Assert.Contains("eval.first_thought starts an agent run", Refused(recipe).Message);
    }

    [Fact]
    public void A_student_checkpoint_excludes_a_tokenizer_and_a_model_shape_and_without_one_both_are_needed()
    {
        var withShape = Paper();
        withShape["tokenizer"] = new JsonObject { ["vocab_size"] = 300 };
        Assert.Contains("remove \"tokenizer\" and \"model\"", Refused(withShape).Message);

        var neither = Paper();
        neither.Remove("student");
        Assert.Contains("missing \"tokenizer\" and \"model\": a student trained from scratch needs both", Refused(neither).Message);

        var onlyModel = TinyDistillAgent.Recipe();
        onlyModel.Remove("tokenizer");
        Assert.Contains("missing \"tokenizer\"", Refused(onlyModel).Message);
    }

    [Theory]
    [InlineData("atlas", "first_thought", "teacher.first_thought belongs to kind \"endpoint\"; kind \"atlas\"")]
    [InlineData("atlas", "tasks", "teacher.tasks belongs to kind \"endpoint\"; kind \"atlas\"")]
    [InlineData("trajectories", "endpoint", "teacher.endpoint belongs to kind \"endpoint\"; kind \"trajectories\"")]
    public void Endpoint_keys_on_another_teacher_are_named(string kind, string key, string expected)
    {
        var recipe = TinyDistillAgent.Recipe();
        recipe["teacher"] = kind == "atlas"
            ? new JsonObject { ["kind"] = "atlas", ["questions"] = "questions/train.jsonl" }
            : new JsonObject { ["kind"] = "trajectories", ["file"] = "runs.jsonl" };
        recipe["teacher"]![key] = key == "tasks" ? new JsonArray("t.json") : key == "endpoint" ? "http://127.0.0.1:8000/v1" : true;
        Assert.Contains(expected, Refused(recipe).Message);
    }

    [Fact]
    public void The_atlas_recipe_runs_the_same_stages_and_records_the_same_sft_settings()
    {
        var loaded = DistillRecipeLoader.Load(Path.Combine(TinyDistillAgent.RepoRoot(), "agents", "atlas", "distill.json"));
        var context = new DistillContext(loaded, Path.Combine(Path.GetTempPath(), "unused-work"), 1, new SilentDistillProgress(), TimeProvider.System);
        using var pipeline = new DistillPipeline(context);

        Assert.Equal(["teacher", "synthetic", "teacher-synthetic", "sft-data", "tokenizer", "sft", "gguf"], pipeline.StageNames);
        // The ledger of an existing atlas work folder must still match: no new key appears in the SFT stage's settings.
        Assert.Equal(["epochs", "max_steps", "lr", "warmup", "batch_size", "grad_accum", "seq_len", "val_fraction", "eval_every", "save_every",
            "weight_decay", "max_grad_norm", "seed", "model"], new SftStage(context).Parameters.Select(p => p.Key));
    }
}
