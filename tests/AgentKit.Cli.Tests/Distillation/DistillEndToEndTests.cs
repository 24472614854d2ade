using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests.Distillation;

/// <summary>Runs the tiny recipe once for the whole class (both teachers through the real sandbox, SFT, GGUF).</summary>
public sealed class DistilledTinyAgent : IAsyncLifetime
{
    public string Folder { get; private set; } = "";

    public string Work { get; private set; } = "";

    public (int Exit, string Out, string Err) First { get; private set; }

    public async Task InitializeAsync()
    {
        Folder = TinyDistillAgent.Create();
        Work = Path.Combine(Folder, "work");
        First = await RunAsync("distill", "--recipe", Path.Combine(Folder, TinyDistillAgent.RecipeFile), "--work", Work, "--threads", "2", "--json");
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

[Collection(AgentCli.Collection)]
public sealed class DistillEndToEndTests(DistilledTinyAgent tiny) : IClassFixture<DistilledTinyAgent>
{
    private string RecipePath => Path.Combine(tiny.Folder, TinyDistillAgent.RecipeFile);

    [Fact]
    public async Task Tiny_recipe_makes_a_gguf_that_llamasharp_runs_and_reports_every_stage()
    {
        Assert.True(tiny.First.Exit == 0, tiny.First.Err);
        using var json = JsonDocument.Parse(tiny.First.Out); // --json: stdout is the report and nothing else
        var report = json.RootElement;

        Assert.Equal(["teacher", "synthetic", "teacher-synthetic", "sft-data", "tokenizer", "sft", "gguf"], report.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("stage").GetString()));
        Assert.All(report.GetProperty("stages").EnumerateArray(), s =>
        {
            Assert.Equal("ran", s.GetProperty("status").GetString());
            Assert.True(s.GetProperty("seconds").GetDouble() >= 0);
        });
        var teacher = report.GetProperty("teacher");
        Assert.Equal(6, teacher.GetProperty("runs").GetInt32());
        Assert.Equal(6, teacher.GetProperty("correct").GetInt32()); // the programmatic teacher answers every training question
        var synthetic = report.GetProperty("synthetic");
        Assert.Equal(10, synthetic.GetProperty("countries").GetInt32());
        var syntheticQuestions = synthetic.GetProperty("questions").GetInt32();
        Assert.InRange(syntheticQuestions, 6, 20); // two per answerable family
        var syntheticTeacher = report.GetProperty("synthetic_teacher");
        Assert.Equal(syntheticQuestions, syntheticTeacher.GetProperty("runs").GetInt32());
        var syntheticCorrect = syntheticTeacher.GetProperty("correct").GetInt32();
        Assert.True(syntheticCorrect >= syntheticQuestions - 1, $"{syntheticCorrect} of {syntheticQuestions} invented-atlas runs correct");
        Assert.Equal(6 + syntheticCorrect, report.GetProperty("sft_data").GetProperty("examples").GetInt32());
        Assert.Equal(syntheticCorrect, report.GetProperty("sft_data").GetProperty("synthetic_examples").GetInt32());
        var sft = report.GetProperty("sft");
        Assert.Equal(3, sft.GetProperty("steps").GetInt32());
        Assert.True(sft.GetProperty("tokens_per_epoch").GetInt64() >= 1024);
        Assert.Equal(0, sft.GetProperty("tokens_per_epoch").GetInt64() % 1024);
        Assert.True(sft.GetProperty("first_train_loss").GetDouble() > 3); // ≈ ln(300) for an untrained model
        Assert.True(sft.GetProperty("final_validation_loss").GetDouble() > 0);
        Assert.True(sft.GetProperty("tokens_per_second").GetDouble() > 0);
        // 300×32 tied embedding + one layer (q,o 32×32; k,v 32×16; three 32×64 MLP; two norms) + final norm.
        Assert.Equal(300 * 32 + (2 * 32 * 32 + 2 * 32 * 16 + 3 * 32 * 64 + 2 * 32) + 32, sft.GetProperty("parameters").GetInt64());
        Assert.True(File.Exists(sft.GetProperty("metrics_csv").GetString()));
        Assert.True(File.Exists(sft.GetProperty("loss_plot").GetString()));

        // export.out is relative to the agent folder; the report names it, and it is the work folder's GGUF.
        var model = Path.Combine(tiny.Folder, "model.gguf");
        Assert.Equal(model, report.GetProperty("model").GetString());
        Assert.Equal(new FileInfo(model).Length, report.GetProperty("gguf").GetProperty("bytes").GetInt64());
        Assert.Equal(File.ReadAllBytes(Path.Combine(tiny.Work, "model.gguf")), File.ReadAllBytes(model));
        foreach (var output in new[] { "teacher-train.jsonl", "teacher-synthetic.jsonl", "synthetic/agent.json", "synthetic/prompt.md", "synthetic/corpus.jsonl", "sft.jsonl", "tokenizer.json", "model-config.json", "stages.json", "distill-report.json" })
            Assert.True(File.Exists(Path.Combine(tiny.Work, output)), output);

        var generate = await RunAsync("generate", "--model", model, "--prompt", "The capital of Peru", "--max-tokens", "4", "--seed", "1", "--threads", "2", "--json");
        Assert.True(generate.Exit == 0, generate.Err);
        using var generated = JsonDocument.Parse(generate.Out);
        Assert.InRange(generated.RootElement.GetProperty("completions")[0].GetProperty("tokens").GetInt32(), 1, 4);
    }

    [Fact]
    public void The_sft_data_holds_the_real_examples_in_question_order_then_the_invented_ones()
    {
        Assert.True(tiny.First.Exit == 0, tiny.First.Err);
        var real = Questions(Path.Combine(tiny.Folder, "questions", "train.jsonl"));
        var invented = Questions(Path.Combine(tiny.Work, "synthetic", "questions", "train.jsonl"));
        var corrected = File.ReadLines(Path.Combine(tiny.Work, "teacher-synthetic.jsonl"))
            .Select(line => JsonNode.Parse(line)!)
            .Where(run => run["score"]?["correct"]?.GetValue<bool>() == true)
            .Select(run => run["task"]!["id"]!.GetValue<string>())
            .ToHashSet();
        var expected = real.Select(q => q.Question).Concat(invented.Where(q => corrected.Contains(q.Id)).Select(q => q.Question)).ToList();

        var examples = File.ReadAllLines(Path.Combine(tiny.Work, "sft.jsonl"));

        Assert.Equal(expected.Count, examples.Length);
        foreach (var (question, example) in expected.Zip(examples))
        {
            var text = string.Concat(JsonNode.Parse(example)!["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()));
            Assert.Contains(question, text);
        }
        // The invented world is the generator's, not the real atlas: none of its countries is a real one.
        var realCorpus = File.ReadAllText(Path.Combine(tiny.Folder, "corpus.jsonl"));
        var inventedCountries = File.ReadLines(Path.Combine(tiny.Work, "synthetic", "corpus.jsonl"))
            .Select(line => JsonNode.Parse(line)!)
            .Where(passage => passage["id"]!.GetValue<string>().StartsWith("country/", StringComparison.Ordinal))
            .Select(passage => passage["title"]!.GetValue<string>()).Distinct().ToList();
        Assert.Equal(10, inventedCountries.Count);
        Assert.All(inventedCountries, name => Assert.DoesNotContain($"\"title\":\"{name}\"", realCorpus));
    }

    [Fact]
    public async Task The_synthesize_verb_writes_the_same_folder_as_the_synthetic_stage()
    {
        Assert.True(tiny.First.Exit == 0, tiny.First.Err);
        var folder = TinyModels.TempPath("synthesized");

        var (exit, stdout, stderr) = await RunAsync("atlas", "synthesize", "--out", folder, "--agent", tiny.Folder, "--countries", "10", "--per-family", "2",
            "--seed", "11", "--source", TinyDistillAgent.SourceFolder, "--json");

        Assert.True(exit == 0, stderr);
        Assert.Equal(10, JsonNode.Parse(stdout)!["countries"]!.GetValue<int>());
        foreach (var file in new[] { "agent.json", "prompt.md", "corpus.jsonl", Path.Combine("questions", "train.jsonl") })
            Assert.Equal(File.ReadAllText(Path.Combine(tiny.Work, "synthetic", file)), File.ReadAllText(Path.Combine(folder, file)));
    }

    private static List<(string Id, string Question)> Questions(string path) =>
        [.. File.ReadLines(path).Select(line => JsonNode.Parse(line)!).Select(q => (q["id"]!.GetValue<string>(), q["question"]!.GetValue<string>()))];

    [Fact]
    public async Task A_second_run_skips_every_stage_and_reports_the_same_figures()
    {
        Assert.True(tiny.First.Exit == 0, tiny.First.Err);
        var stages = File.ReadAllText(Path.Combine(tiny.Work, "stages.json"));

        var (exit, stdout, stderr) = await RunAsync("distill", "--recipe", RecipePath, "--work", tiny.Work, "--threads", "2");

        Assert.True(exit == 0, stderr);
        foreach (var stage in new[] { "teacher", "synthetic", "teacher-synthetic", "sft-data", "tokenizer", "sft", "gguf" })
            Assert.Contains($"[{stage}]", stdout);
        Assert.Equal(7, stdout.Split('\n').Count(line => line.Contains("skipped: ")));
        Assert.DoesNotContain("done in", stdout);
        Assert.Equal(stages, File.ReadAllText(Path.Combine(tiny.Work, "stages.json")));
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(tiny.Work, "distill-report.json")))!;
        Assert.All(report["stages"]!.AsArray(), s => Assert.Equal("skipped", s!["seconds"]!.GetValue<string>()));
        using var first = JsonDocument.Parse(tiny.First.Out);
        Assert.Equal(first.RootElement.GetProperty("sft").GetProperty("final_train_loss").GetDouble(), report["sft"]!["final_train_loss"]!.GetValue<double>());
        Assert.Equal(6, report["teacher"]!["correct"]!.GetValue<int>());
        Assert.Equal(first.RootElement.GetProperty("synthetic_teacher").GetProperty("correct").GetInt32(), report["synthetic_teacher"]!["correct"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_changed_synthetic_section_is_named_and_one_removed_is_caught_by_the_sft_data()
    {
        Assert.True(tiny.First.Exit == 0, tiny.First.Err);
        var stages = File.ReadAllText(Path.Combine(tiny.Work, "stages.json"));
        var reseeded = TinyDistillAgent.Recipe();
        reseeded["synthetic"]!["seed"] = 12;
        var withoutSynthetic = TinyDistillAgent.Recipe();
        withoutSynthetic.Remove("synthetic");

        var changed = await RunAsync("distill", "--recipe", TinyDistillAgent.WriteRecipe(tiny.Folder, reseeded, "distill-reseeded.json"), "--work", tiny.Work);
        var removed = await RunAsync("distill", "--recipe", TinyDistillAgent.WriteRecipe(tiny.Folder, withoutSynthetic, "distill-real-only.json"), "--work", tiny.Work);

        Assert.Equal(2, changed.Exit);
        Assert.Contains("stage 'synthetic'", changed.Err);
        Assert.Contains("seed: 11 → 12", changed.Err);
        // Without the section the SFT data would silently keep its invented examples: its recorded inputs say otherwise.
        Assert.Equal(2, removed.Exit);
        Assert.Contains("stage 'sft-data'", removed.Err);
        Assert.Contains("teachers: [\"teacher-train.jsonl\",\"teacher-synthetic.jsonl\"] → (not set)", removed.Err);
        Assert.Equal(stages, File.ReadAllText(Path.Combine(tiny.Work, "stages.json")));
    }

    [Fact]
    public async Task Changed_parameters_on_a_finished_work_folder_are_an_error_that_names_them()
    {
        Assert.True(tiny.First.Exit == 0, tiny.First.Err);
        var recipe = TinyDistillAgent.Recipe();
        recipe["sft"]!["lr"] = 0.002;
        recipe["sft"]!["seq_len"] = 64;
        var changed = TinyDistillAgent.WriteRecipe(tiny.Folder, recipe, "distill-changed.json");
        var stages = File.ReadAllText(Path.Combine(tiny.Work, "stages.json"));

        var (exit, stdout, stderr) = await RunAsync("distill", "--recipe", changed, "--work", tiny.Work);

        Assert.Equal(2, exit);
        Assert.Contains("stage 'sft'", stderr);
        Assert.Contains("lr: 0.001 → 0.002", stderr);
        Assert.Contains("seq_len: 1024 → 64", stderr);
        Assert.DoesNotContain("done in", stdout);
        Assert.Equal(stages, File.ReadAllText(Path.Combine(tiny.Work, "stages.json"))); // nothing ran, nothing was forgotten
    }

    [Fact]
    public async Task An_interrupted_teacher_is_continued_and_the_later_stages_are_remade()
    {
        Assert.True(tiny.First.Exit == 0, tiny.First.Err);
        // The state a killed run leaves: four of six runs recorded, the teacher's record still "running", the
        // invented atlas and its teacher done, nothing after them.
        var work = TinyModels.TempPath("resumed-work");
        Directory.CreateDirectory(work);
        File.WriteAllLines(Path.Combine(work, "teacher-train.jsonl"), File.ReadLines(Path.Combine(tiny.Work, "teacher-train.jsonl")).Take(4));
        CopyFolder(Path.Combine(tiny.Work, "synthetic"), Path.Combine(work, "synthetic"));
        File.Copy(Path.Combine(tiny.Work, "teacher-synthetic.jsonl"), Path.Combine(work, "teacher-synthetic.jsonl"));
        var ledger = JsonNode.Parse(File.ReadAllText(Path.Combine(tiny.Work, "stages.json")))!.AsObject();
        var teacher = ledger["teacher"]!.DeepClone();
        teacher["status"] = "running";
        File.WriteAllText(Path.Combine(work, "stages.json"), new JsonObject
        {
            ["teacher"] = teacher, ["synthetic"] = ledger["synthetic"]!.DeepClone(), ["teacher-synthetic"] = ledger["teacher-synthetic"]!.DeepClone(),
        }.ToJsonString());

        var (exit, stdout, stderr) = await RunAsync("distill", "--recipe", RecipePath, "--work", work, "--out", Path.Combine(work, "copy.gguf"), "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var stages = json.RootElement.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("stage").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal("resumed", stages["teacher"]);
        // The teachers do not depend on each other: resuming the real one keeps the invented atlas's runs.
        Assert.Equal("skipped", stages["synthetic"]);
        Assert.Equal("skipped", stages["teacher-synthetic"]);
        Assert.Equal("ran", stages["sft-data"]);
        Assert.Equal("ran", stages["sft"]);
        Assert.Equal(2, json.RootElement.GetProperty("teacher").GetProperty("new_runs").GetInt32());
        Assert.Equal(6, json.RootElement.GetProperty("teacher").GetProperty("runs").GetInt32());
        Assert.True(File.Exists(Path.Combine(work, "copy.gguf")));
        // Examples follow the question order, not the order runs finished in: the resumed data is the uninterrupted run's.
        Assert.Equal(File.ReadAllText(Path.Combine(tiny.Work, "sft.jsonl")), File.ReadAllText(Path.Combine(work, "sft.jsonl")));
        Assert.Equal(File.ReadAllText(Path.Combine(tiny.Work, "tokenizer.json")), File.ReadAllText(Path.Combine(work, "tokenizer.json")));
    }

    [Fact]
    public async Task A_failing_stage_exits_1_naming_it_and_keeps_the_earlier_outputs()
    {
        Assert.True(tiny.First.Exit == 0, tiny.First.Err);
        // Recorded trajectories none of which is correct: the SFT data stage has nothing to train on.
        var folder = TinyModels.TempPath("recorded");
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "runs.jsonl"), File.ReadLines(Path.Combine(tiny.Work, "teacher-train.jsonl"))
            .Select(line => line.Replace("\"correct\":true", "\"correct\":false", StringComparison.Ordinal)));
        var recipe = TinyDistillAgent.Recipe();
        recipe["teacher"] = new JsonObject { ["kind"] = "trajectories", ["file"] = "runs.jsonl" };
        recipe.Remove("synthetic");
        var path = TinyDistillAgent.WriteRecipe(folder, recipe);
        var work = Path.Combine(folder, "work");

        var (exit, _, stderr) = await RunAsync("distill", "--recipe", path, "--work", work);

        Assert.Equal(1, exit);
        Assert.Contains("stage 'sft-data' failed", stderr);
        Assert.Contains("nothing to train on", stderr);
        Assert.True(File.Exists(Path.Combine(work, "teacher-train.jsonl")));
        Assert.False(File.Exists(Path.Combine(work, "sft.jsonl")));
        Assert.Contains("\"done\"", File.ReadAllText(Path.Combine(work, "stages.json")));
    }

    private static void CopyFolder(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(destination, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
