using AgentKit.Models.Gguf;
using AgentKit.TestUtils;

namespace AgentKit.Cli.Tests;

/// <summary>
/// Every verb that opens a model, given a truncated, garbage or lying GGUF: exit 1 and one <c>error:</c> line on
/// stderr, never a .NET stack trace or a native abort (before validation, <c>run</c> and <c>eval</c> printed an
/// unhandled-exception trace and the lying files aborted the process inside llama.cpp with exit 134).
/// </summary>
[Collection(AgentCli.Collection)]
public sealed class ModelFileErrorTests
{
    private static readonly Lazy<string> Truncated = new(() =>
    {
        var path = TinyModels.TempPath("truncated.gguf");
        File.WriteAllBytes(path, File.ReadAllBytes(TinyModels.RandomLlamaPath())[..3000]);
        return path;
    });

    private static readonly Lazy<string> Garbage = new(() =>
    {
        var path = TinyModels.TempPath("garbage.gguf");
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        "GGUF"u8.CopyTo(bytes);
        BitConverter.GetBytes(3u).CopyTo(bytes, 4);
        File.WriteAllBytes(path, bytes);
        return path;
    });

    // Each of these aborted llama.cpp (exit 134) before the validator checked it.
    private static readonly Lazy<string> DuplicateTokens = new(() =>
        new LyingLlamaFile().Set("tokenizer.ggml.tokens", GgufValue.Array(Enumerable.Repeat("a", 269))).Write("duplicate-tokens.gguf"));

    private static readonly Lazy<string> HalfPrecisionNorm = new(() =>
        new LyingLlamaFile().Retype("blk.0.attn_norm.weight", GgmlType.F16).Write("f16-norm.gguf"));

    private static readonly Lazy<string> MoreBlocks = new(() =>
        new LyingLlamaFile().Set("llama.block_count", GgufValue.UInt32(3)).Write("more-blocks.gguf"));

    private static string File_(string kind) => kind switch
    {
        "truncated" => Truncated.Value,
        "garbage" => Garbage.Value,
        "duplicate-tokens" => DuplicateTokens.Value,
        "f16-norm" => HalfPrecisionNorm.Value,
        "more-blocks" => MoreBlocks.Value,
        _ => throw new ArgumentException(kind),
    };

    private static readonly Dictionary<string, string> Expected = new()
    {
        ["truncated"] = "is truncated",
        ["garbage"] = "is truncated or corrupt",
        ["duplicate-tokens"] = "appears twice in 'tokenizer.ggml.tokens'",
        ["f16-norm"] = "norms and biases must be F32",
        ["more-blocks"] = "block 2 has no tensors",
    };

    private static string[] Verb(string verb, string model) => verb switch
    {
        "generate" => ["generate", "--model", model, "--prompt", "hi", "--max-tokens", "2", "--threads", "1"],
        "serve" => ["serve", "--model", model, "--port", "0", "--threads", "1"],
        "run" => ["run", "--agent", AgentCli.ExampleAgent, "--model", model, "--threads", "1", "What is in the corpus?"],
        "eval" => ["eval", "--agent", AgentCli.ExampleAgent, "--model", model, "--tasks", AgentCli.ExampleTasks, "--limit", "1", "--threads", "1"],
        "model info" => ["model", "info", model],
        _ => throw new ArgumentException(verb),
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var verb in new[] { "generate", "serve", "run", "eval" })
        foreach (var kind in new[] { "truncated", "garbage", "duplicate-tokens", "f16-norm", "more-blocks" })
            data.Add(verb, kind);
        data.Add("model info", "truncated");
        data.Add("model info", "garbage");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_model_file_is_exit_1_with_one_error_line(string verb, string kind)
    {
        var (exit, _, stderr) = await CliRun.RunAsync(Verb(verb, File_(kind)));

        Assert.True(exit == CliApp.Failure, $"exit {exit}; stderr: {stderr}");
        var errors = stderr.Split('\n').Where(line => line.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.Single(errors);
        Assert.Contains(Expected[kind], errors[0]);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("Unhandled exception", stderr);
    }

    [Fact]
    public async Task Export_of_a_garbage_checkpoint_is_exit_1_with_one_error_line()
    {
        var directory = Path.Combine(Path.GetTempPath(), "agentkit-tests", $"garbage-checkpoint-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            File.WriteAllText(Path.Combine(directory, "config.json"), """{"model_type":"llama"}""");
            File.WriteAllText(Path.Combine(directory, "tokenizer.json"), "{}");
            var garbage = new byte[1000];
            new Random(5).NextBytes(garbage);
            File.WriteAllBytes(Path.Combine(directory, "model.safetensors"), garbage);

            var (exit, _, stderr) = await CliRun.RunAsync("export", "gguf", "--checkpoint", directory, "--out", Path.Combine(directory, "out.gguf"));

            Assert.True(exit == CliApp.Failure, $"exit {exit}; stderr: {stderr}");
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => line.StartsWith("error:", StringComparison.Ordinal));
            Assert.DoesNotContain("   at ", stderr);
            Assert.False(File.Exists(Path.Combine(directory, "out.gguf")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
