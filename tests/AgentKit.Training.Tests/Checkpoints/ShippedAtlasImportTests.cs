using System.Diagnostics;
using System.Text.Json;
using AgentKit.Models.Gguf;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Export;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Checkpoints;

/// <summary>
/// The shipped atlas model (agents/atlas/model.gguf, f16) imported into TorchSharp: the same greedy first actions as
/// llama.cpp on held-out questions, and a lossless way back to the same GGUF tensors.
/// </summary>
public sealed class ShippedAtlasImportTests(ITestOutputHelper output)
{
    // The system prompt the atlas agent sends (prompt.md in the compact style, as recorded in its trajectories).
    private const string SystemPrompt =
        "You are atlas: you answer questions about the countries of the world from an atlas. Mentions(task, \"country/\") gives the passages the question names (also \"capital/\", \"city/\"); read facts from their Text with Regex, e.g. \"The capital of Peru is Lima.\", \"Lima is the capital of Peru.\". Never guess: if the atlas does not have it, answer \"not found\".\n\n" +
        "Functions: Passage[] Search(string query, int k = 3); Passage[] Mentions(string text, string idPrefix = \"\"); void FinalAnswer(object answer)\n" +
        "public record Passage(string Id, string Title, string Text, double Score);\nVariable: string task (the task text)\n" +
        "Each step: a \"Thought:\" line, then one ```csharp block; call FinalAnswer(answer) when done.";

    private const int Steps = 40;

    [Fact]
    public void The_imported_atlas_model_acts_as_its_gguf_does_in_llama_cpp()
    {
        var gguf = Path.Combine(RepoRoot(), "agents", "atlas", "model.gguf");
        var checkpoint = Path.Combine(TinyFixtures.TempDir(), "atlas");
        var report = GgufImport.Run(new GgufImportOptions { Model = gguf, Output = checkpoint });
        output.WriteLine($"import: {report.Parameters:N0} parameters from {report.TensorTypes} in {report.Seconds:F3} s");
        using var model = CheckpointIO.Load(checkpoint);
        model.eval();
        var tokenizer = TokenizerLoader.Load(checkpoint);

        var questions = File.ReadLines(Path.Combine(RepoRoot(), "agents", "atlas", "questions", "test.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .GroupBy(q => q.GetProperty("family").GetString())
            .Select(g => g.First().GetProperty("question").GetString()!)
            .Take(6)
            .ToList();
        using var reference = new LlamaCppReference(gguf, contextSize: 1024);
        var worst = 0f;
        var same = 0;
        foreach (var question in questions)
        {
            var prompt = tokenizer.Encode(ChatFormat.Render([("system", SystemPrompt), ("user", $"Task: {question}")], addGenerationPrompt: true));
            var difference = MaxDifference(reference.Logits(prompt), Logits(model, prompt));
            worst = Math.Max(worst, difference);
            var expected = reference.Greedy(prompt, Steps);
            var actual = Greedy(model, prompt, Steps);
            same += expected.SequenceEqual(actual) ? 1 : 0;
            output.WriteLine($"'{question}' | prompt {prompt.Count} tokens | max |logit diff| {difference:E2} | greedy {Steps} tokens {(expected.SequenceEqual(actual) ? "equal" : "DIFFER")}: {tokenizer.Decode(actual).ReplaceLineEndings(" ")}");
        }
        output.WriteLine($"{same}/{questions.Count} greedy continuations equal; worst max |logit diff| {worst:E2}");
        Assert.Equal(questions.Count, same);
        Assert.True(worst < 0.05f, $"logits differ by up to {worst}");

        // f16 → f32 → f16 is exact: exporting the import again gives the shipped tensors bit for bit.
        var again = Path.Combine(TinyFixtures.TempDir(), "again.gguf");
        CheckpointExport.Run(new CheckpointExportOptions { Checkpoint = checkpoint, Output = again, Type = GgufExportType.F16 });
        Assert.Equal(TensorBytes(gguf), TensorBytes(again));
    }

    private static float[][] Logits(LlamaForCausalLM model, IReadOnlyList<int> tokens)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var logits = model.Logits(tensor(tokens.Select(t => (long)t).ToArray()).unsqueeze(0))[0];
        return [.. Enumerable.Range(0, tokens.Count).Select(i => logits[i].data<float>().ToArray())];
    }

    private static int[] Greedy(LlamaForCausalLM model, IReadOnlyList<int> prompt, int steps)
    {
        var sequence = prompt.ToList();
        for (var s = 0; s < steps; s++)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var last = model.Logits(tensor(sequence.Select(t => (long)t).ToArray()).unsqueeze(0))[0, -1];
            sequence.Add((int)last.argmax().item<long>());
        }
        return [.. sequence.Skip(prompt.Count)];
    }

    private static float MaxDifference(float[][] a, float[][] b) =>
        a.Zip(b, (x, y) => x.Zip(y, (p, q) => Math.Abs(p - q)).Max()).Max();

    // Every tensor's name, type and bytes: the model as llama.cpp sees it, without the metadata (general.name differs).
    private static List<string> TensorBytes(string path)
    {
        var file = GgufReader.Read(path);
        using var stream = File.OpenRead(path);
        return [.. file.Tensors.Select(t =>
        {
            var bytes = new byte[t.ByteSize];
            stream.Position = file.DataOffset + t.Offset;
            stream.ReadExactly(bytes);
            return $"{t.Name} {t.Type} {Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes))}";
        })];
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentKit.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Repository root not found.");
    }
}
