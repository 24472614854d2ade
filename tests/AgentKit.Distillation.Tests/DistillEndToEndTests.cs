using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Models;
using AgentKit.Atlas.Data;
using AgentKit.Models.LlamaSharp;
using AgentKit.TestUtils;

namespace AgentKit.Distillation.Tests;

/// <summary>Runs the tiny recipe once for the whole class (both teachers through the real sandbox, SFT, GGUF).</summary>
public sealed class DistilledTinyAgent : IAsyncLifetime
{
    public string Folder { get; private set; } = "";

    public string Work { get; private set; } = "";

    /// <summary>The report the first run returned (null when it failed).</summary>
    public DistillReport? Report { get; private set; }

    /// <summary>The first run's <c>distill-report.json</c>, as it was right after that run.</summary>
    public string ReportJson { get; private set; } = "";

    public RecordingDistillProgress Progress { get; } = new();

    private Exception? _failure;

    public async Task InitializeAsync()
    {
        Folder = TinyDistillAgent.Create();
        Work = Path.Combine(Folder, "work");
        try
        {
            Report = await TinyDistillAgent.RunAsync(Path.Combine(Folder, TinyDistillAgent.RecipeFile), Work, Progress);
            ReportJson = File.ReadAllText(Path.Combine(Work, WorkFiles.Report));
        }
        catch (Exception ex)
        {
            _failure = ex;
        }
    }

    /// <summary>Fails the calling test with the first run's error, if it had one.</summary>
    public void AssertRan() => Assert.True(_failure is null, _failure?.ToString());

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class DistillEndToEndTests(DistilledTinyAgent tiny) : IClassFixture<DistilledTinyAgent>
{
    private string RecipePath => Path.Combine(tiny.Folder, TinyDistillAgent.RecipeFile);

    [Fact]
    public async Task Tiny_recipe_makes_a_gguf_that_llamasharp_runs_and_reports_every_stage()
    {
        tiny.AssertRan();
        using var json = JsonDocument.Parse(tiny.ReportJson);
        var report = json.RootElement;
        Assert.Equal(tiny.Report!.Sft.FinalTrainLoss, report.GetProperty("sft").GetProperty("final_train_loss").GetDouble()); // returned = written
        string[] stages = ["teacher", "synthetic", "teacher-synthetic", "sft-data", "tokenizer", "sft", "gguf"];
        Assert.Equal(stages.SelectMany(s => new[] { $"started {s}", $"finished {s}" }), tiny.Progress.Events);
        Assert.Equal(6 + tiny.Report.SyntheticTeacher!.Runs, tiny.Progress.TeacherRuns); // one bar step per teacher run
        Assert.True(tiny.Progress.SftSteps >= 3);

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

        using var generator = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = model, Threads = 2 });
        var generated = await generator.GenerateAsync(new CandidateRequest { Prompt = "The capital of Peru", MaxTokens = 4, Seed = 1 });
        Assert.InRange(generated.Candidates[0].Tokens, 1, 4);
    }

    [Fact]
    public void The_sft_data_holds_the_real_examples_in_question_order_then_the_invented_ones()
    {
        tiny.AssertRan();
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
    public void The_synthetic_agent_writer_writes_the_same_folder_as_the_synthetic_stage()
    {
        tiny.AssertRan();
        var folder = TinyModels.TempPath("synthesized");

        var written = SyntheticAgentWriter.Write(tiny.Folder, TinyDistillAgent.SourceFolder, folder, new SyntheticAgentOptions { Countries = 10, PerFamily = 2, Seed = 11 });

        Assert.Equal(10, written.Countries);
        foreach (var file in new[] { "agent.json", "prompt.md", "corpus.jsonl", Path.Combine("questions", "train.jsonl") })
            Assert.Equal(File.ReadAllText(Path.Combine(tiny.Work, "synthetic", file)), File.ReadAllText(Path.Combine(folder, file)));
    }

    private static List<(string Id, string Question)> Questions(string path) =>
        [.. File.ReadLines(path).Select(line => JsonNode.Parse(line)!).Select(q => (q["id"]!.GetValue<string>(), q["question"]!.GetValue<string>()))];

    [Fact]
    public async Task A_second_run_skips_every_stage_and_reports_the_same_figures()
    {
        tiny.AssertRan();
        var stages = File.ReadAllText(Path.Combine(tiny.Work, "stages.json"));

        var progress = new RecordingDistillProgress();

        var second = await TinyDistillAgent.RunAsync(RecipePath, tiny.Work, progress);

        Assert.Equal(new[] { "teacher", "synthetic", "teacher-synthetic", "sft-data", "tokenizer", "sft", "gguf" }.Select(s => $"skipped {s}"), progress.Events);
        Assert.All(second.Stages, s => Assert.Equal("skipped", s.Status));
        Assert.Equal(stages, File.ReadAllText(Path.Combine(tiny.Work, "stages.json")));
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(tiny.Work, "distill-report.json")))!;
        Assert.All(report["stages"]!.AsArray(), s => Assert.Equal("skipped", s!["seconds"]!.GetValue<string>()));
        using var first = JsonDocument.Parse(tiny.ReportJson);
        Assert.Equal(first.RootElement.GetProperty("sft").GetProperty("final_train_loss").GetDouble(), report["sft"]!["final_train_loss"]!.GetValue<double>());
        Assert.Equal(6, report["teacher"]!["correct"]!.GetValue<int>());
        Assert.Equal(first.RootElement.GetProperty("synthetic_teacher").GetProperty("correct").GetInt32(), report["synthetic_teacher"]!["correct"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_changed_synthetic_section_is_named_and_one_removed_is_caught_by_the_sft_data()
    {
        tiny.AssertRan();
        var stages = File.ReadAllText(Path.Combine(tiny.Work, "stages.json"));
        var reseeded = TinyDistillAgent.Recipe();
        reseeded["synthetic"]!["seed"] = 12;
        var withoutSynthetic = TinyDistillAgent.Recipe();
        withoutSynthetic.Remove("synthetic");

        var changed = await Assert.ThrowsAsync<DistillConfigurationException>(() =>
            TinyDistillAgent.RunAsync(TinyDistillAgent.WriteRecipe(tiny.Folder, reseeded, "distill-reseeded.json"), tiny.Work));
        var removed = await Assert.ThrowsAsync<DistillConfigurationException>(() =>
            TinyDistillAgent.RunAsync(TinyDistillAgent.WriteRecipe(tiny.Folder, withoutSynthetic, "distill-real-only.json"), tiny.Work));

        Assert.Contains("stage 'synthetic'", changed.Message);
        Assert.Contains("seed: 11 → 12", changed.Message);
        // Without the section the SFT data would silently keep its invented examples: its recorded inputs say otherwise.
        Assert.Contains("stage 'sft-data'", removed.Message);
        Assert.Contains("teachers: [\"teacher-train.jsonl\",\"teacher-synthetic.jsonl\"] → (not set)", removed.Message);
        Assert.Equal(stages, File.ReadAllText(Path.Combine(tiny.Work, "stages.json")));
    }

    [Fact]
    public async Task Changed_parameters_on_a_finished_work_folder_are_an_error_that_names_them()
    {
        tiny.AssertRan();
        var recipe = TinyDistillAgent.Recipe();
        recipe["sft"]!["lr"] = 0.002;
        recipe["sft"]!["seq_len"] = 64;
        var changed = TinyDistillAgent.WriteRecipe(tiny.Folder, recipe, "distill-changed.json");
        var stages = File.ReadAllText(Path.Combine(tiny.Work, "stages.json"));

        var progress = new RecordingDistillProgress();

        var error = await Assert.ThrowsAsync<DistillConfigurationException>(() => TinyDistillAgent.RunAsync(changed, tiny.Work, progress));

        Assert.Contains("stage 'sft'", error.Message);
        Assert.Contains("lr: 0.001 → 0.002", error.Message);
        Assert.Contains("seq_len: 1024 → 64", error.Message);
        Assert.Empty(progress.Events);
        Assert.Equal(stages, File.ReadAllText(Path.Combine(tiny.Work, "stages.json"))); // nothing ran, nothing was forgotten
    }

    [Fact]
    public async Task An_interrupted_teacher_is_continued_and_the_later_stages_are_remade()
    {
        tiny.AssertRan();
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

        var report = await TinyDistillAgent.RunAsync(RecipePath, work, export: Path.Combine(work, "copy.gguf"));

        var stages = report.Stages.ToDictionary(s => s.Stage, s => s.Status);
        Assert.Equal("resumed", stages["teacher"]);
        // The teachers do not depend on each other: resuming the real one keeps the invented atlas's runs.
        Assert.Equal("skipped", stages["synthetic"]);
        Assert.Equal("skipped", stages["teacher-synthetic"]);
        Assert.Equal("ran", stages["sft-data"]);
        Assert.Equal("ran", stages["sft"]);
        Assert.Equal(2, report.Teacher.NewRuns);
        Assert.Equal(6, report.Teacher.Runs);
        Assert.True(File.Exists(Path.Combine(work, "copy.gguf")));
        // Examples follow the question order, not the order runs finished in: the resumed data is the uninterrupted run's.
        Assert.Equal(File.ReadAllText(Path.Combine(tiny.Work, "sft.jsonl")), File.ReadAllText(Path.Combine(work, "sft.jsonl")));
        Assert.Equal(File.ReadAllText(Path.Combine(tiny.Work, "tokenizer.json")), File.ReadAllText(Path.Combine(work, "tokenizer.json")));
    }

    [Fact]
    public async Task A_failing_stage_is_named_and_the_earlier_outputs_are_kept()
    {
        tiny.AssertRan();
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

        var error = await Assert.ThrowsAsync<DistillStageException>(() => TinyDistillAgent.RunAsync(path, work));

        Assert.Equal("sft-data", error.Stage);
        Assert.Contains("stage 'sft-data' failed", error.Message);
        Assert.Contains("nothing to train on", error.Message);
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
