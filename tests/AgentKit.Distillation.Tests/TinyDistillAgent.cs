using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.TestUtils;

namespace AgentKit.Distillation.Tests;

/// <summary>
/// A temporary copy of the atlas agent (definition, prompt, corpus) with six training questions, one per
/// family, and a tiny recipe: an invented atlas of 10 countries with 2 questions per family, vocabulary 300, a
/// one-layer 32-wide student, three SFT steps.
/// </summary>
internal static class TinyDistillAgent
{
    public const string RecipeFile = "distill.json";

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AgentKit.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Repository root not found.");
    }

    /// <summary>Loads the recipe at <paramref name="path"/> and runs it into <paramref name="work"/> on two threads.</summary>
    public static Task<DistillReport> RunAsync(string path, string work, IDistillProgress? progress = null, string? export = null,
        CancellationToken cancellationToken = default) =>
        DistillPipeline.RunAsync(DistillRecipeLoader.Load(path), new DistillRunOptions { WorkFolder = work, ExportPath = export, Threads = 2 }, progress, cancellationToken);

    public static string Create()
    {
        var atlas = Path.Combine(RepoRoot(), "agents", "atlas");
        var folder = TinyModels.TempPath("atlas");
        Directory.CreateDirectory(Path.Combine(folder, "questions"));
        foreach (var file in new[] { "agent.json", "prompt.md", "corpus.jsonl" })
            File.Copy(Path.Combine(atlas, file), Path.Combine(folder, file));
        var questions = File.ReadLines(Path.Combine(atlas, "questions", "train.jsonl"))
            .GroupBy(line => JsonDocument.Parse(line).RootElement.GetProperty("family").GetString())
            .Select(g => g.First())
            .Take(6)
            .ToList();
        Assert.Equal(6, questions.Count);
        File.WriteAllLines(Path.Combine(folder, "questions", "train.jsonl"), questions);
        WriteRecipe(folder, Recipe());
        return folder;
    }

    /// <summary>The tiny recipe; tests change a value and write it back.</summary>
    public static JsonObject Recipe() => new()
    {
        ["teacher"] = new JsonObject { ["kind"] = "atlas", ["questions"] = "questions/train.jsonl", ["parallel"] = 2, ["timeout_ms"] = 20000 },
        ["synthetic"] = new JsonObject { ["countries"] = 10, ["per_family"] = 2, ["seed"] = 11, ["source"] = SourceFolder },
        ["only_correct"] = true,
        ["tokenizer"] = new JsonObject { ["vocab_size"] = 300 },
        ["model"] = new JsonObject
        {
            ["model_type"] = "llama", ["vocab_size"] = 300, ["hidden_size"] = 32, ["intermediate_size"] = 64, ["num_hidden_layers"] = 1,
            ["num_attention_heads"] = 2, ["num_key_value_heads"] = 1, ["max_position_embeddings"] = 1024,
        },
        ["sft"] = new JsonObject
        {
            ["max_steps"] = 3, ["lr"] = 0.001, ["warmup"] = 1, ["batch_size"] = 1, ["seq_len"] = 1024, ["val_fraction"] = 0.2,
            ["eval_every"] = 3, ["save_every"] = 2, ["seed"] = 7,
        },
        ["export"] = new JsonObject { ["type"] = "f16", ["out"] = "model.gguf" },
    };

    /// <summary>The real country files the invented atlas draws its facts from (the test agent folder has no copy).</summary>
    public static string SourceFolder => Path.Combine(RepoRoot(), "agents", "atlas", "data", "source");

    public static string WriteRecipe(string folder, JsonObject recipe, string name = RecipeFile)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "// tiny test recipe\n" + recipe.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
