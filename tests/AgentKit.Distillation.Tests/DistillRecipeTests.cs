using System.Text.Json.Nodes;
using AgentKit.TestUtils;

namespace AgentKit.Distillation.Tests;

/// <summary>Reading and validating <c>distill.json</c>, and the configuration errors raised before any stage runs.</summary>
public sealed class DistillRecipeTests
{
    [Fact]
    public void The_shipped_atlas_recipe_holds_the_parameters_of_the_shipped_model()
    {
        var loaded = DistillRecipeLoader.Load(Path.Combine(TinyDistillAgent.RepoRoot(), "agents", "atlas", "distill.json"));
        var recipe = loaded.Recipe;

        Assert.Equal("atlas", loaded.AgentName);
        Assert.Equal(TeacherRecipe.Atlas, recipe.Teacher.Kind);
        Assert.Equal(Path.Combine(TinyDistillAgent.RepoRoot(), "agents", "atlas", "questions", "train.jsonl"), loaded.FromRecipe(recipe.Teacher.Questions!));
        Assert.Equal((2, 20000), (recipe.Teacher.ResolvedParallel, recipe.Teacher.ResolvedTimeoutMs));
        Assert.True(recipe.OnlyCorrect);
        Assert.Null(recipe.Student);
        Assert.Null(recipe.Eval);
        Assert.Null(recipe.Export.Hf);
        Assert.Equal(2048, recipe.Tokenizer!.VocabSize);
        Assert.Equal((2048, 192, 512, 4, 6, 2, 1024), (recipe.Model!.VocabSize, recipe.Model.HiddenSize, recipe.Model.IntermediateSize,
            recipe.Model.NumHiddenLayers, recipe.Model.NumAttentionHeads, recipe.Model.NumKeyValueHeads, recipe.Model.MaxPositionEmbeddings));
        var sft = recipe.Sft;
        Assert.Equal((400, 600, 11), (recipe.Synthetic!.Countries, recipe.Synthetic.PerFamily, recipe.Synthetic.Seed));
        Assert.Equal(Path.Combine(TinyDistillAgent.RepoRoot(), "agents", "atlas", "data", "source"), loaded.FromRecipe(recipe.Synthetic.Source));
        Assert.True(Directory.Exists(loaded.FromRecipe(recipe.Synthetic.Source)));
        Assert.Equal((2, 2e-3, 30, 8, 512, 0.03, 100, 100, 0.01, 1300), (sft.Epochs, sft.Lr, sft.Warmup, sft.BatchSize, sft.SeqLen, sft.ValFraction,
            sft.EvalEvery, sft.SaveEvery, sft.WeightDecay, sft.MaxSteps));
        Assert.Equal(("f16", Path.Combine(TinyDistillAgent.RepoRoot(), "agents", "atlas", "model-sft.gguf")), (recipe.Export.Type, loaded.DefaultExportPath));
    }

    [Theory]
    [InlineData("{", "invalid JSON")]
    [InlineData("[]", "invalid JSON")]
    [InlineData("""{"teacher": {"kind": "atlas", "questions": "q.jsonl"}}""", "missing required key(s) 'sft', 'export'")]
    public void Malformed_recipes_are_named(string json, string expected)
    {
        var ex = Assert.Throws<DistillConfigurationException>(() => DistillRecipeLoader.Parse(json, "r.json"));
        Assert.StartsWith("r.json: ", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Theory]
    [InlineData("", "colour", "unknown key \"colour\"")]
    [InlineData("sft", "learning_rate", "unknown key \"learning_rate\"")]
    [InlineData("model", "num_hiden_layers", "unknown key \"num_hiden_layers\"")]
    [InlineData("teacher", "parallelism", "unknown key \"parallelism\"")]
    [InlineData("synthetic", "languages", "unknown key \"languages\"")]
    public void Unknown_keys_are_rejected_wherever_they_are(string section, string key, string expected)
    {
        var recipe = TinyDistillAgent.Recipe();
        (section.Length == 0 ? recipe : recipe[section]!.AsObject())[key] = 1;

        var ex = Assert.Throws<DistillConfigurationException>(() => DistillRecipeLoader.Parse(recipe.ToJsonString()));
        Assert.Contains(expected, ex.Message);
    }

    public static TheoryData<string, JsonNode?, string> InvalidValues => new()
    {
        { "teacher.kind", "teacher-model", "teacher.kind must be \"atlas\", \"trajectories\" or \"endpoint\"" },
        { "teacher.questions", null, "teacher.questions is required for kind \"atlas\"" },
        { "teacher.parallel", 0, "teacher.parallel must be between 1 and 64" },
        { "teacher.timeout_ms", 10, "teacher.timeout_ms must be between 100 and 600000" },
        { "teacher.file", "runs.jsonl", "teacher.file belongs to kind \"trajectories\"" },
        { "tokenizer.vocab_size", 100, "tokenizer.vocab_size must be between 260" },
        { "tokenizer.vocab_size", 400, "tokenizer.vocab_size 400 exceeds model.vocab_size 300" },
        { "model.hidden_size", 33, "model: hidden_size 33 must be a multiple of num_attention_heads 2" },
        { "model.model_type", "gpt2", "model: model_type must be 'llama' or 'qwen2'" },
        { "sft.lr", 0, "sft: LearningRate must be > 0" },
        { "sft.seq_len", 2048, "sft.seq_len 2048 exceeds model.max_position_embeddings 1024" },
        { "sft.val_fraction", 1.5, "sft: ValidationFraction must be in [0, 1)" },
        { "export.type", "q4_k", "export.type must be \"f32\", \"f16\" or \"q8_0\"" },
        { "sft", null, "\"sft\" must be an object, not null" },
        { "synthetic.countries", 5, "synthetic.countries must be between 10 and 5000, got 5" },
        { "synthetic.per_family", 0, "synthetic.per_family must be between 1 and 100000, got 0" },
        { "synthetic.source", " ", "synthetic.source must be a folder path" },
    };

    [Theory]
    [MemberData(nameof(InvalidValues))]
    public void Invalid_values_are_explained(string key, JsonNode? value, string expected)
    {
        var recipe = TinyDistillAgent.Recipe();
        var parts = key.Split('.');
        var target = parts.Length == 1 ? recipe : recipe[parts[0]]!.AsObject();
        if (value is null && parts.Length == 2)
            target.Remove(parts[^1]);
        else
            target[parts[^1]] = value;

        var ex = Assert.Throws<DistillConfigurationException>(() => DistillRecipeLoader.Parse(recipe.ToJsonString()));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void A_recorded_trajectories_teacher_takes_a_file_and_nothing_of_the_atlas_teacher()
    {
        var recipe = TinyDistillAgent.Recipe();
        recipe["teacher"] = new JsonObject { ["kind"] = "trajectories", ["file"] = "runs.jsonl" };
        Assert.Equal("runs.jsonl", DistillRecipeLoader.Parse(recipe.ToJsonString()).Teacher.File);

        recipe["teacher"]!["timeout_ms"] = 1000;
        var ex = Assert.Throws<DistillConfigurationException>(() => DistillRecipeLoader.Parse(recipe.ToJsonString()));
        Assert.Contains("belong to kind \"atlas\"", ex.Message);
    }

    [Fact]
    public void The_synthetic_section_is_optional_and_its_keys_have_the_verbs_defaults()
    {
        var recipe = TinyDistillAgent.Recipe();
        recipe.Remove("synthetic");
        Assert.Null(DistillRecipeLoader.Parse(recipe.ToJsonString()).Synthetic);

        recipe["synthetic"] = new JsonObject();
        var synthetic = DistillRecipeLoader.Parse(recipe.ToJsonString()).Synthetic!;
        Assert.Equal((400, 600, 11, "data/source"), (synthetic.Countries, synthetic.PerFamily, synthetic.Seed, synthetic.Source));
    }

    [Fact]
    public async Task A_missing_synthetic_source_folder_is_a_configuration_error_before_anything_runs()
    {
        var folder = TinyDistillAgent.Create();
        var recipe = TinyDistillAgent.Recipe();
        recipe["synthetic"]!["source"] = "no-such-folder";
        var path = TinyDistillAgent.WriteRecipe(folder, recipe);

        var error = await Assert.ThrowsAsync<DistillConfigurationException>(() => TinyDistillAgent.RunAsync(path, Path.Combine(folder, "work")));

        Assert.Contains("synthetic.source: folder of country files not found", error.Message);
        Assert.False(Directory.Exists(Path.Combine(folder, "work")));
    }

    [Fact]
    public void A_missing_recipe_is_a_configuration_error()
    {
        var error = Assert.Throws<DistillConfigurationException>(() => DistillRecipeLoader.Load(TinyModels.TempPath("nowhere.json")));

        Assert.Contains("recipe not found", error.Message);
    }

    [Fact]
    public void An_unknown_key_in_a_recipe_file_is_named()
    {
        var folder = TinyModels.TempPath("recipe");
        Directory.CreateDirectory(folder);
        var recipe = TinyDistillAgent.Recipe();
        recipe["sft"]!["epochz"] = 3;
        var path = TinyDistillAgent.WriteRecipe(folder, recipe);

        var error = Assert.Throws<DistillConfigurationException>(() => DistillRecipeLoader.Load(path));

        Assert.Contains("unknown key \"epochz\"", error.Message);
    }

    [Fact]
    public async Task An_agent_folder_without_an_agent_definition_is_a_configuration_error()
    {
        var folder = TinyModels.TempPath("no-agent");
        Directory.CreateDirectory(Path.Combine(folder, "questions"));
        File.WriteAllText(Path.Combine(folder, "questions", "train.jsonl"), "");
        var path = TinyDistillAgent.WriteRecipe(folder, TinyDistillAgent.Recipe());

        var error = await Assert.ThrowsAsync<DistillConfigurationException>(() => TinyDistillAgent.RunAsync(path, Path.Combine(folder, "work")));

        Assert.Contains("the atlas teacher needs an agent definition", error.Message);
        Assert.Contains("No agent.json", error.Message);
        Assert.False(Directory.Exists(Path.Combine(folder, "work")));
    }

    [Fact]
    public async Task A_missing_question_file_is_a_configuration_error()
    {
        var folder = TinyDistillAgent.Create();
        File.Delete(Path.Combine(folder, "questions", "train.jsonl"));

        var error = await Assert.ThrowsAsync<DistillConfigurationException>(() => TinyDistillAgent.RunAsync(Path.Combine(folder, TinyDistillAgent.RecipeFile), Path.Combine(folder, "work")));

        Assert.Contains("teacher.questions: Question file not found", error.Message);
    }

    [Fact]
    public async Task An_agent_whose_search_has_no_corpus_is_a_configuration_error_before_anything_runs()
    {
        var folder = TinyDistillAgent.Create();
        File.Delete(Path.Combine(folder, "corpus.jsonl"));

        var error = await Assert.ThrowsAsync<DistillConfigurationException>(() => TinyDistillAgent.RunAsync(Path.Combine(folder, TinyDistillAgent.RecipeFile), Path.Combine(folder, "work")));

        Assert.Contains("cannot build the agent's tools", error.Message);
    }

    [Fact]
    public async Task A_work_folder_the_pipeline_did_not_make_is_refused()
    {
        var folder = TinyDistillAgent.Create();
        var work = Path.Combine(folder, "busy");
        Directory.CreateDirectory(work);
        File.WriteAllText(Path.Combine(work, "notes.txt"), "mine");

        var error = await Assert.ThrowsAsync<DistillConfigurationException>(() => TinyDistillAgent.RunAsync(Path.Combine(folder, TinyDistillAgent.RecipeFile), work));

        Assert.Contains("holds no stages.json", error.Message);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(work).Select(Path.GetFileName));
    }
}

public sealed class DistillRunOptionsTests
{
    [Theory]
    [InlineData(0, null, "threads must be >= 1")]
    [InlineData(null, " ", "work folder")]
    public void Invalid_run_options_are_refused_before_the_recipe_is_read(int? threads, string? work, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new DistillRunOptions { Threads = threads, WorkFolder = work }.Validate());
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void The_default_work_folder_is_named_after_the_agent()
    {
        var recipe = DistillRecipeLoader.Load(Path.Combine(TinyDistillAgent.RepoRoot(), "agents", "atlas", "distill.json"));

        Assert.Equal(Path.GetFullPath(Path.Combine("distill-work", "atlas")), new DistillRunOptions().ResolveWorkFolder(recipe));
    }
}
