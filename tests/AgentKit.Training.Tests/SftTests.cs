using System.Text.Json;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Generation;
using AgentKit.Training.Model;
using AgentKit.Training.Sft;
using AgentKit.Training.Tokenization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests;

public sealed class SftTests(ITestOutputHelper output)
{
    private static readonly (string Q, string A)[] Facts =
    [
        ("capital of France?", "Paris"), ("2 + 2?", "4"), ("color of the sky?", "blue"), ("opposite of hot?", "cold"),
        ("first letter?", "A"), ("largest planet?", "Jupiter"), ("frozen water?", "ice"), ("a baby cat?", "kitten"),
    ];

    private static string WriteData(string dir)
    {
        var path = Path.Combine(dir, "sft.jsonl");
        var lines = Facts.Select((f, i) => JsonSerializer.Serialize(new
        {
            messages = i % 2 == 0
                ? new object[] { new { role = "system", content = "Answer in one word.", weight = 0 }, new { role = "user", content = f.Q, weight = 0 }, new { role = "assistant", content = f.A, weight = 1 } }
                : new object[] { new { role = "user", content = f.Q }, new { role = "assistant", content = f.A } },
        }));
        File.WriteAllLines(path, lines);
        return path;
    }

    private static ByteLevelBpeTokenizer TrainTokenizer() =>
        BpeTrainer.Train(Facts.SelectMany(f => new[] { f.Q, f.A, "Answer in one word." }).Concat(["user", "assistant", "system"]), new BpeTrainerOptions { VocabSize = 320 });

    private static SftOptions Options(string data, string outDir, int steps, LoraSettings? lora = null) => new()
    {
        DataPath = data, OutputDirectory = outDir, SequenceLength = 64, BatchSize = 4, MaxSteps = steps, LearningRate = lora is null ? 3e-3 : 1e-2,
        WarmupSteps = 5, ValidationFraction = 0, EvalEvery = 0, SaveEvery = 0, Seed = 5, LossChunkRows = 37, Lora = lora,
    };

    private static LlamaForCausalLM TinyModel(int vocab, long seed = 3) =>
        new(TinyFixtures.Config(vocab: vocab) with { MaxPositionEmbeddings = 128 }, seed);

    [Fact]
    public void Tiny_model_overfits_and_generates_the_learned_answers()
    {
        var dir = TinyFixtures.TempDir();
        var tokenizer = TrainTokenizer();
        using var model = TinyModel(tokenizer.VocabSize);
        var result = new SftTrainer(Options(WriteData(dir), Path.Combine(dir, "out"), 150), tokenizer).Train(model);
        output.WriteLine($"loss {result.History[0].TrainLoss:F3} -> {result.FinalTrainLoss:F4}");
        Assert.True(result.FinalTrainLoss < 0.1, $"final loss {result.FinalTrainLoss} should fall below 0.1");
        Assert.True(File.Exists(Path.Combine(dir, "out", "metrics.csv")));
        Assert.True(new FileInfo(Path.Combine(dir, "out", "loss.png")).Length > 1000);
        Assert.True(File.Exists(Path.Combine(result.FinalCheckpoint, CheckpointFiles.TrainingConfig)));

        var imEnd = tokenizer.SpecialTokenId(ChatFormat.ImEnd)!.Value;
        foreach (var (i, (q, a)) in Facts.Index().Take(4))
        {
            (string, string)[] messages = i % 2 == 0 ? [("system", "Answer in one word."), ("user", q)] : [("user", q)];
            var prompt = tokenizer.Encode(ChatFormat.Render(messages, addGenerationPrompt: true));
            var generated = TokenSampler.Generate(model, prompt, new SamplingOptions { Temperature = 0, MaxNewTokens = 8, StopTokenIds = [imEnd] }, 1)[0];
            Assert.Equal(a, tokenizer.Decode(generated));
        }
    }

    [Fact]
    public void Lora_trains_only_adapters_and_merge_equals_base_plus_adapter()
    {
        var dir = TinyFixtures.TempDir();
        var tokenizer = TrainTokenizer();
        using var model = TinyModel(tokenizer.VocabSize);
        var before = model.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        var lora = new LoraSettings { Rank = 4, Alpha = 8, TargetModules = ["q_proj", "v_proj", "gate_proj"] };
        var result = new SftTrainer(Options(WriteData(dir), Path.Combine(dir, "out"), 30, lora), tokenizer).Train(model);
        Assert.True(result.FinalTrainLoss < result.History[0].TrainLoss);

        var after = model.state_dict();
        foreach (var (name, value) in before)
            Assert.True(value.eq(after[name]).all().item<bool>(), $"base weight {name} changed under LoRA");
        var adapters = after.Keys.Where(k => k.Contains("lora_")).ToList();
        Assert.Equal(2 * 2 * 3, adapters.Count);
        Assert.Contains(adapters, k => after[k].abs().sum().item<float>() > 0 && k.Contains("lora_B"));

        using var input = tensor(tokenizer.Encode("capital of France?").Select(t => (long)t).ToArray()).unsqueeze(0);
        model.eval();
        using var withAdapter = model.Logits(input);
        // Expected merged weight, computed independently: W + alpha/r * B @ A.
        var q = "model.layers.0.self_attn.q_proj.";
        using var expectedQ = after[q + "weight"] + matmul(after[q + "lora_B.weight"], after[q + "lora_A.weight"]) * (8.0 / 4);
        model.MergeLora();
        Assert.False(model.HasLora);
        Assert.DoesNotContain(model.state_dict().Keys, k => k.Contains("lora_"));
        Assert.True(model.state_dict()[q + "weight"].allclose(expectedQ, rtol: 1e-5, atol: 1e-6));
        using var merged = model.Logits(input);
        Assert.True(merged.allclose(withAdapter, rtol: 1e-4, atol: 1e-5), "merged model logits differ from base+adapter");
    }

    [Fact]
    public void Resume_continues_the_same_loss_curve()
    {
        var dir = TinyFixtures.TempDir();
        var data = WriteData(dir);
        var tokenizer = TrainTokenizer();
        using var straightModel = TinyModel(tokenizer.VocabSize);
        var straight = new SftTrainer(Options(data, Path.Combine(dir, "straight"), 16) with { GradientAccumulationSteps = 2 }, tokenizer).Train(straightModel);

        var resumedOut = Path.Combine(dir, "resumed");
        using var first = TinyModel(tokenizer.VocabSize);
        using var cts = new CancellationTokenSource();
        var options = Options(data, resumedOut, 16) with { GradientAccumulationSteps = 2 };
        var progress = new SyncProgress(p => { if (p.Step == 7) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new SftTrainer(options, tokenizer).Train(first, progress: progress, cancellationToken: cts.Token));

        using var second = TinyModel(tokenizer.VocabSize, seed: 99); // different init: everything must come from the checkpoint
        var resumed = new SftTrainer(options, tokenizer).Train(second);
        Assert.Equal(7, resumed.ResumedFromStep);
        for (var i = 0; i < resumed.History.Count; i++)
        {
            var expected = straight.History[7 + i].TrainLoss;
            Assert.True(Math.Abs(expected - resumed.History[i].TrainLoss) < 1e-4, $"step {8 + i}: straight {expected}, resumed {resumed.History[i].TrainLoss}");
        }
        var csvSteps = File.ReadAllLines(Path.Combine(resumedOut, "metrics.csv")).Skip(1).Select(l => int.Parse(l.Split(',')[0])).ToList();
        Assert.Equal(Enumerable.Range(1, 16), csvSteps);
    }

    [Fact]
    public void Chunked_cross_entropy_equals_full_cross_entropy_and_its_gradients()
    {
        random.manual_seed(1);
        using var hidden = randn(30, 16).requires_grad_(true);
        using var weight = randn(50, 16).requires_grad_(true);
        using var targets = randint(0, 50, 30);
        var w = ones(30);
        w[..10] = zeros(10);
        var (loss, _, surrogate) = ChunkedCrossEntropy.Compute(hidden, weight, targets, w, chunkRows: 7, computeGradients: true);
        surrogate!.backward();
        var gradH = hidden.grad!.clone();
        var gradW = weight.grad!.clone();
        hidden.grad!.zero_();
        weight.grad!.zero_();

        var logits = matmul(hidden, weight.t());
        var perRow = nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.None);
        var full = (perRow * w).sum() / w.sum();
        full.backward();
        Assert.Equal(full.item<float>(), loss, 4);
        Assert.True(gradH.allclose(hidden.grad!, rtol: 1e-4, atol: 1e-6));
        Assert.True(gradW.allclose(weight.grad!, rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void Packed_rows_give_each_example_the_loss_it_has_alone()
    {
        var tokenizer = TrainTokenizer();
        using var model = TinyModel(tokenizer.VocabSize);
        model.eval();
        var examples = Facts.Take(3).Select(f => SftTokenization.Tokenize(new SftExample([new("user", f.Q, 0), new("assistant", f.A, 1)], 1), tokenizer)).ToList();
        var options = Options("unused", "unused", 1);
        var trainer = new SftTrainer(options, tokenizer);
        var packed = PackedRows.Pack(examples, 120, tokenizer.EosId!.Value);
        Assert.Equal(1, packed.Count);
        var together = trainer.Evaluate(model, packed);
        double sum = 0, weights = 0;
        foreach (var example in examples)
        {
            var alone = PackedRows.Pack([example], 120, tokenizer.EosId!.Value);
            var trained = alone.Weights[0].Skip(1).Count(x => x > 0);
            sum += trainer.Evaluate(model, alone) * trained;
            weights += trained;
        }
        Assert.Equal(sum / weights, together, 4);
    }

    [Fact]
    public void Sft_data_weights_default_to_assistant_turns_and_bad_lines_are_reported()
    {
        var example = SftDataReader.Parse("""{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}""", 1);
        Assert.Equal([0.0, 1.0], example.Messages.Select(m => m.Weight));
        var tokenizer = TrainTokenizer();
        var tokenized = SftTokenization.Tokenize(example, tokenizer);
        var trainedText = tokenizer.Decode(tokenized.Tokens.Where((_, i) => tokenized.Weights[i] > 0));
        Assert.Equal("yo<|im_end|>", trainedText);

        var dir = TinyFixtures.TempDir();
        var path = Path.Combine(dir, "bad.jsonl");
        File.WriteAllLines(path, ["""{"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]}""", "{not json"]);
        var error = Assert.Throws<InvalidDataException>(() => SftDataReader.Read(path));
        Assert.Contains("line 2", error.Message);
    }

    private sealed class SyncProgress(Action<SftProgress> action) : IProgress<SftProgress>
    {
        public void Report(SftProgress value) => action(value);
    }
}
