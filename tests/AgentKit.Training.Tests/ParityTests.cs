using AgentKit.Training.Export;
using AgentKit.Training.Generation;
using AgentKit.Training.Model;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests;

/// <summary>TorchSharp and llama.cpp agree on the same tiny model, tokens and tokenizer.</summary>
public sealed class ParityTests(ITestOutputHelper output)
{
    // f32 weights, 2 layers: differences come only from summation order (observed ~1e-6).
    private const float LogitTolerance = 1e-3f;

    [Theory]
    [InlineData("llama", true)]
    [InlineData("llama", false)]
    [InlineData("qwen2", true)]
    public void Logits_match_llama_cpp(string modelType, bool tied)
    {
        var tokenizer = TinyFixtures.Tokenizer;
        using var model = new LlamaForCausalLM(TinyFixtures.Config(modelType, tied, vocab: tokenizer.VocabSize), seed: 7);
        if (modelType == "qwen2")
        {
            // Non-zero biases so the test would notice a bias that is dropped or misplaced.
            using var _ = no_grad();
            foreach (var (name, p) in model.named_parameters().Where(p => p.name.EndsWith(".bias")))
                p.normal_(0, 0.5);
        }
        var path = Path.Combine(TinyFixtures.TempDir(), "model.gguf");
        GgufExporter.Export(model, tokenizer, path, new GgufExportOptions { Type = GgufExportType.F32 });

        var tokens = tokenizer.Encode("<|im_start|>user\ndef add(a, b): return a + b<|im_end|>\n");
        using var reference = new LlamaCppReference(path);
        var expected = reference.Logits(tokens);
        model.eval();
        using var input = tensor(tokens.Select(t => (long)t).ToArray()).unsqueeze(0);
        using var logits = model.Logits(input);
        var actual = logits[0].data<float>().ToArray();
        var maxError = 0f;
        for (var t = 0; t < tokens.Count; t++)
            for (var v = 0; v < tokenizer.VocabSize; v++)
                maxError = Math.Max(maxError, Math.Abs(expected[t][v] - actual[t * tokenizer.VocabSize + v]));
        output.WriteLine($"{modelType} tied={tied}: max |logit difference| over {tokens.Count} tokens = {maxError:E2}");
        Assert.True(maxError < LogitTolerance, $"max logit difference {maxError} exceeds {LogitTolerance}");
    }

    [Fact]
    public void Tokenizer_ids_match_llama_cpp()
    {
        var tokenizer = TinyFixtures.Tokenizer;
        using var model = new LlamaForCausalLM(TinyFixtures.Config(vocab: tokenizer.VocabSize), seed: 1);
        var path = Path.Combine(TinyFixtures.TempDir(), "tok.gguf");
        GgufExporter.Export(model, tokenizer, path, new GgufExportOptions { Type = GgufExportType.F16 });
        using var reference = new LlamaCppReference(path);
        string[] texts =
        [
            .. TinyFixtures.Corpus,
            "unseen words: xylophone quizzically", "   leading spaces", "trailing spaces   ", "\n\n\ttabs\n \n",
            "<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>assistant\n", "a<|endoftext|>b",
            "naïve café — “quotes” ‘single’ …", "日本語のテキストと한국어", "0123456789 1,000,000.5", "x=>x*2; if(a&&b||c){}",
            "I'M SHOUTING'S 'quoted'", "mixed\r\nline\rendings", "", " ", "🙂", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 math letters",
        ];
        foreach (var text in texts)
        {
            var ours = tokenizer.Encode(text);
            Assert.Equal(text, tokenizer.Decode(ours));
            var theirs = reference.Tokenize(text);
            Assert.True(ours.SequenceEqual(theirs), $"ids differ for {text}: ours [{string.Join(",", ours)}] llama.cpp [{string.Join(",", theirs)}]");
        }
    }

    [Fact]
    public void Greedy_generation_matches_llama_cpp()
    {
        var tokenizer = TinyFixtures.Tokenizer;
        using var model = new LlamaForCausalLM(TinyFixtures.Config(vocab: tokenizer.VocabSize), seed: 11);
        var path = Path.Combine(TinyFixtures.TempDir(), "greedy.gguf");
        GgufExporter.Export(model, tokenizer, path, new GgufExportOptions { Type = GgufExportType.F32 });
        var prompt = tokenizer.Encode("The quick brown");
        using var reference = new LlamaCppReference(path);
        var expected = reference.Greedy(prompt, 12);
        var actual = TokenSampler.Generate(model, prompt, new SamplingOptions { Temperature = 0, MaxNewTokens = 12 }, count: 1)[0];
        Assert.Equal(expected, actual);
    }
}
