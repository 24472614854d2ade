using AgentKit.Models;
using AgentKit.Models.Gguf;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Export;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Checkpoints;

/// <summary>Checkpoint → GGUF (the exporter) → checkpoint (the import): the same model, tokenizer and generations.</summary>
public sealed class GgufImportTests(ITestOutputHelper output)
{
    private static readonly string[] SampleTexts =
    [
        .. TinyFixtures.Corpus,
        "<|im_start|>user\nWhat is the capital of Peru?<|im_end|>\n<|im_start|>assistant\n", "unseen: xylophone, quizzically 987",
    ];

    [Theory]
    [InlineData("llama", true)]
    [InlineData("llama", false)]
    [InlineData("qwen2", true)]
    public void An_f32_round_trip_gives_back_every_parameter_and_logit_exactly(string modelType, bool tied)
    {
        using var original = Model(modelType, tied, seed: 11);
        var gguf = Export(original, GgufExportType.F32);

        var checkpoint = Import(gguf);

        using var imported = CheckpointIO.Load(checkpoint);
        Assert.Equal(original.Config with { BosTokenId = imported.Config.BosTokenId, EosTokenId = imported.Config.EosTokenId, AttentionBias = original.Config.HasQkvBias },
            imported.Config with { Architectures = null });
        var expected = original.state_dict();
        var actual = imported.state_dict();
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, tensor) in expected)
            Assert.True(tensor.eq(actual[name]).all().item<bool>(), $"{name} differs after the round trip");
        Assert.Equal(0f, MaxDifference(Logits(original), Logits(imported)));
    }

    [Fact]
    public void An_f16_round_trip_stays_within_f16_rounding_and_llama_cpp_generates_the_same_greedy_tokens()
    {
        using var original = Model("llama", tied: false, seed: 12);
        var gguf = Export(original, GgufExportType.F16);

        var checkpoint = Import(gguf);

        using var imported = CheckpointIO.Load(checkpoint);
        var actual = imported.state_dict();
        foreach (var (name, tensor) in original.state_dict())
        {
            // f16 keeps 11 significant bits: a relative error of 2^-11, plus the absolute step of subnormals.
            using var error = (tensor - actual[name]).abs() - tensor.abs() * MathF.Pow(2, -11);
            Assert.True(error.max().item<float>() <= 6e-8f, $"{name} differs by more than f16 rounding");
        }
        var logitDifference = MaxDifference(Logits(original), Logits(imported));
        output.WriteLine($"f16 round trip: max |logit difference| = {logitDifference:E2}");
        Assert.True(logitDifference < 0.05f, $"logits differ by {logitDifference}");

        var reexported = Path.Combine(TinyFixtures.TempDir(), "reexported.gguf");
        CheckpointExport.Run(new CheckpointExportOptions { Checkpoint = checkpoint, Output = reexported, Type = GgufExportType.F16 });
        var prompt = TinyFixtures.Tokenizer.Encode("<|im_start|>user\nThe quick brown fox<|im_end|>\n");
        int[] before, after;
        using (var reference = new LlamaCppReference(gguf))
            before = reference.Greedy(prompt, steps: 12);
        using (var reference = new LlamaCppReference(reexported))
            after = reference.Greedy(prompt, steps: 12);
        output.WriteLine($"greedy: {string.Join(' ', before)}");
        Assert.Equal(before, after);
    }

    [Fact]
    public void The_tokenizer_round_trips_to_the_same_ids_through_both_loaders()
    {
        using var original = Model("llama", tied: true, seed: 13);
        var checkpoint = Import(Export(original, GgufExportType.F16));

        var tokenizerPath = Path.Combine(checkpoint, TokenizerLoader.FileName);
        var exact = TokenizerLoader.Load(tokenizerPath);
        var hf = HfTokenizer.Load(tokenizerPath);

        Assert.IsType<ByteLevelBpeTokenizer>(exact);
        Assert.Equal(TinyFixtures.Tokenizer.VocabSize, exact.VocabSize);
        foreach (var text in SampleTexts)
        {
            var ids = TinyFixtures.Tokenizer.Encode(text);
            Assert.Equal(ids, exact.Encode(text));
            Assert.Equal(ids, hf.Encode(text));
            Assert.Equal(text, exact.Decode(ids));
        }
    }

    [Fact]
    public void A_q8_0_gguf_is_dequantised_within_one_quantisation_step()
    {
        using var original = Model("llama", tied: true, seed: 14);
        var gguf = Export(original, GgufExportType.Q8_0);
        Assert.Contains(GgufReader.Read(gguf).Tensors, t => t.Type == GgmlType.Q8_0);

        using var imported = GgufImport.Load(gguf);

        Assert.Contains("Q8_0", imported.TensorTypes);
        var actual = imported.Model.state_dict();
        foreach (var (name, tensor) in original.state_dict())
        {
            // q8_0 stores round(x / d) with d = max|block| / 127: at most half a step off, plus the f16 rounding of d.
            var step = tensor.abs().max().item<float>() / 127;
            var error = (tensor - actual[name]).abs().max().item<float>();
            Assert.True(error <= step * 0.51f + 1e-7f, $"{name} differs by {error}, more than half a q8_0 step {step}");
        }
    }

    [Fact]
    public void A_bf16_gguf_is_widened_within_bf16_rounding()
    {
        using var original = Model("llama", tied: false, seed: 16);
        // bfloat16 is the upper half of a float32: the matrices of an f32 export, truncated.
        var gguf = GgufRewrite.Copy(Export(original, GgufExportType.F32), tensor: (info, bytes) => info.Dimensions.Count == 2
            ? (GgmlType.BF16, [.. bytes.Chunk(4).SelectMany(f => f[2..])])
            : (info.Type, bytes));

        using var imported = GgufImport.Load(gguf);

        Assert.Equal("F32, BF16", imported.TensorTypes);
        var actual = imported.Model.state_dict();
        foreach (var (name, tensor) in original.state_dict())
        {
            using var error = (tensor - actual[name]).abs() - tensor.abs() * MathF.Pow(2, -7);
            Assert.True(error.max().item<float>() <= 0, $"{name} differs by more than bf16 truncation");
        }
    }

    [Fact]
    public async Task The_sft_trainer_continues_from_an_imported_checkpoint()
    {
        using var original = Model("llama", tied: true, seed: 17);
        var checkpoint = Import(Export(original, GgufExportType.F16));
        var dir = TinyFixtures.TempDir();
        var data = Path.Combine(dir, "sft.jsonl");
        File.WriteAllLines(data, TinyFixtures.Corpus.Select(text => System.Text.Json.JsonSerializer.Serialize(new
        {
            messages = new object[] { new { role = "user", content = "Say it." }, new { role = "assistant", content = text } },
        })));
        var options = new Sft.SftOptions
        {
            DataPath = data, OutputDirectory = Path.Combine(dir, "out"), SequenceLength = 64, BatchSize = 4, MaxSteps = 25, LearningRate = 3e-3,
            WarmupSteps = 2, ValidationFraction = 0, EvalEvery = 0, SaveEvery = 0, Seed = 5,
        };

        using var run = Sft.SftRun.Open(checkpoint, Path.Combine(checkpoint, TokenizerLoader.FileName), options);
        var report = await run.TrainAsync();

        output.WriteLine($"sft from the import: loss {report.FirstTrainLoss} -> {report.FinalTrainLoss}");
        Assert.True(report.FinalTrainLoss < report.FirstTrainLoss * 0.8, $"loss {report.FirstTrainLoss} -> {report.FinalTrainLoss}");
        Assert.True(CheckpointIO.IsCheckpoint(report.FinalCheckpoint));
    }

    [Fact]
    public void An_unsupported_quantisation_is_refused_naming_the_type_and_tensor()
    {
        var gguf = GgufRewrite.Copy(TinyGguf(), tensor: (info, bytes) => info.Name == "blk.1.ffn_up.weight"
            ? (GgmlType.Q4_0, new byte[GgmlTypeInfo.ByteSize(GgmlType.Q4_0, info.ElementCount)])
            : (info.Type, bytes));

        var message = Refused<NotSupportedException>(gguf);

        Assert.Contains("'blk.1.ffn_up.weight' is stored as Q4_0", message);
    }

    [Theory]
    [InlineData("general.architecture", "phi3", "its architecture is 'phi3'")]
    [InlineData("tokenizer.ggml.pre", "qwen2", "'qwen2' pre-tokenizer")]
    public void Another_architecture_or_pre_tokenizer_is_refused(string key, string value, string expected)
    {
        var gguf = GgufRewrite.Copy(TinyGguf(), metadata: (k, v) => k == key ? GgufValue.String(value) : v);

        Assert.Contains(expected, Refused<NotSupportedException>(gguf));
    }

    [Fact]
    public void A_truncated_file_is_refused_and_leaves_no_checkpoint()
    {
        var source = TinyGguf();
        var truncated = Path.Combine(TinyFixtures.TempDir(), "truncated.gguf");
        File.WriteAllBytes(truncated, File.ReadAllBytes(source)[..(int)(new FileInfo(source).Length - 100)]);
        var outputDir = Path.Combine(TinyFixtures.TempDir(), "out");

        var error = Assert.Throws<ModelLoadException>(() => GgufImport.Run(new GgufImportOptions { Model = truncated, Output = outputDir }));

        Assert.Contains("truncated", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(Directory.Exists(outputDir));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(outputDir)!));
    }

    [Fact]
    public void A_missing_tensor_is_refused_naming_it()
    {
        var gguf = GgufRewrite.Copy(TinyGguf(), tensor: (info, bytes) => (info.Name == "blk.0.ffn_gate.weight" ? null : info.Type, bytes));

        Assert.Contains("blk.0.ffn_gate.weight", Refused<ModelLoadException>(gguf));
    }

    [Fact]
    public void Paths_that_are_not_what_they_must_be_are_refused_before_anything_loads()
    {
        var gguf = TinyGguf();
        var full = TinyFixtures.TempDir();
        File.WriteAllText(Path.Combine(full, "keep.txt"), "earlier work");

        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(() => new GgufImportOptions { Model = "missing.gguf", Output = "o" }.Validate()).Message);
        Assert.Contains("is not empty", Assert.Throws<ArgumentException>(() => new GgufImportOptions { Model = gguf, Output = full }.Validate()).Message);
        Assert.Equal("earlier work", File.ReadAllText(Path.Combine(full, "keep.txt")));
    }

    private static string Refused<T>(string gguf) where T : Exception
    {
        var message = Assert.Throws<T>(() => GgufImport.Load(gguf)).Message;
        Assert.DoesNotContain('\n', message);
        return message;
    }

    private static LlamaForCausalLM Model(string modelType, bool tied, int seed)
    {
        var model = new LlamaForCausalLM(TinyFixtures.Config(modelType, tied, vocab: TinyFixtures.Tokenizer.VocabSize + 3), seed);
        if (modelType == "qwen2")
        {
            // Non-zero biases, so a bias dropped or permuted would show.
            using var _ = no_grad();
            foreach (var (_, p) in model.named_parameters().Where(p => p.name.EndsWith(".bias")))
                p.normal_(0, 0.5);
        }
        return model;
    }

    private static string Export(LlamaForCausalLM model, GgufExportType type)
    {
        var path = Path.Combine(TinyFixtures.TempDir(), "model.gguf");
        GgufExporter.Export(model, TinyFixtures.Tokenizer, path, new GgufExportOptions { Type = type });
        return path;
    }

    private static string TinyGguf()
    {
        using var model = Model("llama", tied: true, seed: 15);
        return Export(model, GgufExportType.F16);
    }

    private static string Import(string gguf)
    {
        var dir = Path.Combine(TinyFixtures.TempDir(), "imported");
        var report = GgufImport.Run(new GgufImportOptions { Model = gguf, Output = dir }.Validate());
        Assert.True(CheckpointIO.IsCheckpoint(dir));
        Assert.Equal(TinyFixtures.Tokenizer.VocabSize, report.TokenizerTokens);
        return dir;
    }

    private static float[] Logits(LlamaForCausalLM model)
    {
        model.eval();
        var ids = TinyFixtures.Tokenizer.Encode(SampleTexts[^2]).Select(t => (long)t).ToArray();
        using var input = tensor(ids).unsqueeze(0);
        using var logits = model.Logits(input);
        return logits.data<float>().ToArray();
    }

    private static float MaxDifference(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
}
