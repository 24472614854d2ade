using System.Text.Json;
using System.Text.RegularExpressions;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

public sealed class GenerateCommandTests
{

    private static string Model => TinyModels.RandomLlamaPath();

    [Fact]
    public async Task Json_lists_every_candidate_under_the_grammar()
    {
        var grammar = TinyModels.TempPath("digits.gbnf");
        File.WriteAllText(grammar, "root ::= [0-9]{2,4} \".\"\n");

        var (exit, stdout, stderr) = await RunAsync("generate", "--model", Model, "--prompt", "Number:", "--n", "4", "--seed", "3",
            "--max-tokens", "10", "--grammar", grammar, "--threads", "2", "--json");

        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout); // stdout holds nothing but the JSON document
        var completions = json.RootElement.GetProperty("completions").EnumerateArray().ToList();
        Assert.Equal(4, completions.Count);
        foreach (var completion in completions)
        {
            Assert.Matches(new Regex(@"^[0-9]{2,4}\.$"), completion.GetProperty("text").GetString()!);
            Assert.Equal("stop", completion.GetProperty("finish_reason").GetString());
            Assert.True(completion.GetProperty("tokens").GetInt32() >= 3);
        }
        Assert.True(json.RootElement.GetProperty("elapsed_ms").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("tokens_per_second").GetDouble() > 0);
    }

    [Fact]
    public async Task Same_seed_prints_the_same_candidates_and_chat_uses_the_template()
    {
        string[] args = ["generate", "--model", Model, "--prompt", "Hi", "--chat", "--n", "2", "--seed", "5", "--max-tokens", "6", "--threads", "2", "--json"];
        var first = await RunAsync(args);
        var second = await RunAsync(args);
        Assert.True(first.Exit == 0, first.Err);
        Assert.Equal(Texts(first.Out), Texts(second.Out));
        using var json = JsonDocument.Parse(first.Out);
        // "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n": 3 specials + the text bytes, far more than the 2 raw-prompt tokens.
        Assert.True(json.RootElement.GetProperty("prompt_tokens").GetInt32() > 10);
    }

    [Fact]
    public async Task Human_output_lists_candidates_and_a_summary()
    {
        var (exit, stdout, stderr) = await RunAsync("generate", "--model", Model, "--prompt", "x", "--n", "2", "--max-tokens", "3", "--seed", "1", "--threads", "2");
        Assert.True(exit == 0, stderr);
        Assert.Contains("candidate 1", stdout);
        Assert.Contains("candidate 2", stdout);
        Assert.Contains("2 candidate(s)", stdout);
    }

    [Theory]
    [InlineData("exactly one of --model", "--prompt", "x")]
    [InlineData("exactly one of --model", "--model", "MODEL", "--endpoint", "http://127.0.0.1:1/v1", "--prompt", "x")]
    [InlineData("--endpoint needs --model-name", "--endpoint", "http://127.0.0.1:1/v1", "--prompt", "x")]
    [InlineData("--n must be between 1 and 64", "--model", "MODEL", "--prompt", "x", "--n", "0")]
    [InlineData("--n must be between 1 and 64", "--model", "MODEL", "--prompt", "x", "--n", "65")]
    [InlineData("--top-p", "--model", "MODEL", "--prompt", "x", "--top-p", "1.5")]
    [InlineData("grammar file not found", "--model", "MODEL", "--prompt", "x", "--grammar", "/nonexistent/g.gbnf")]
    [InlineData("model file not found", "--model", "/nonexistent/m.gguf", "--prompt", "x")]
    [InlineData("--prompt", "--model", "MODEL")]
    [InlineData("context", "--model", "MODEL", "--prompt", "PROMPT", "--context", "64")]
    public async Task Bad_arguments_exit_2_with_a_message(string expected, params string[] args)
    {
        var resolved = args.Select(a => a == "MODEL" ? Model : a == "PROMPT" ? new string('y', 500) : a).Prepend("generate").ToArray();
        var (exit, stdout, stderr) = await RunAsync(resolved);
        Assert.Equal(2, exit);
        Assert.Contains(expected, stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task An_invalid_grammar_file_exits_2_naming_the_problem()
    {
        var grammar = TinyModels.TempPath("bad.gbnf");
        File.WriteAllText(grammar, "root ::= undefined-rule\n");
        var (exit, _, stderr) = await RunAsync("generate", "--model", Model, "--prompt", "x", "--grammar", grammar);
        Assert.Equal(2, exit);
        Assert.Contains("'undefined-rule' is used but never defined", stderr);
    }

    [Fact]
    public async Task A_corrupt_model_file_exits_1_with_the_loader_message()
    {
        var path = TinyModels.TempPath("corrupt.gguf");
        var bytes = File.ReadAllBytes(Model);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var (exit, stdout, stderr) = await RunAsync("generate", "--model", path, "--prompt", "x", "--json");
        Assert.Equal(1, exit);
        Assert.Contains("truncated", stderr);
        Assert.Equal("", stdout);
    }

    private static List<string> Texts(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("completions").EnumerateArray().Select(c => c.GetProperty("text").GetString()!).ToList();
    }
}
