using System.Text;
using AgentKit.Core.Actions;
using AgentKit.Core.Definitions;
using AgentKit.Core.Trajectories;
using AgentKit.Models.Gguf;
using AgentKit.Models.LlamaSharp;
using AgentKit.Tools.Dogfood;
using AgentKit.Tools.Dogfood.Harnesses;
using AgentKit.Training.Tokenization;

namespace AgentKit.Fuzzing.Tests.Dogfood;

/// <summary>The seeds are what they claim: inputs each parser accepts (campaigns start inside the format, not at its door).</summary>
public sealed class DogfoodSeedsTests
{
    private static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "seeds-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    [Fact]
    public void Gguf_seeds_are_read_and_the_model_seed_passes_the_validator()
    {
        var dir = TempDir();
        foreach (var (name, bytes) in new[] { ("minimal", DogfoodSeeds.MinimalGguf()), ("tiny-llama", DogfoodSeeds.TinyLlamaGguf()) })
        {
            var path = Path.Combine(dir, name + ".gguf");
            File.WriteAllBytes(path, bytes);
            // The minimal file exercises every metadata kind in the reader; it is no model, so the validator refuses it.
            Assert.Equal("llama", GgufReader.Read(path).Architecture);
            Assert.True(bytes.Length < 16 * 1024, $"{name} is {bytes.Length} bytes: too big to mutate quickly");
        }
        Assert.Equal("llama", GgufModelValidator.Validate(Path.Combine(dir, "tiny-llama.gguf")).Architecture);
    }

    [Fact]
    public void Agent_json_seeds_load()
    {
        var dir = TempDir();
        File.WriteAllText(Path.Combine(dir, "prompt.md"), "Answer briefly.\n");
        File.WriteAllText(Path.Combine(dir, AgentDefinitionLoader.FileName), DogfoodSeeds.FullAgentJson());
        var agent = AgentDefinitionLoader.Load(dir);
        Assert.Equal("dogfood-agent", agent.Definition.Name);
        Assert.Equal("Answer briefly.", agent.Definition.Instructions);
        Assert.Equal("e", AgentDefinitionLoader.Parse(DogfoodSeeds.EndpointAgentJson(), dir).Name);
    }

    [Fact]
    public void Action_seeds_cover_success_and_each_failure()
    {
        var parsed = DogfoodSeeds.Actions().Select(ActionParser.Parse).ToList();
        Assert.Equal([true, true, true, false, false], parsed.Select(p => p.Succeeded));
    }

    [Fact]
    public void Trajectory_seed_has_two_records_and_a_truncated_line()
    {
        var result = JsonlTrajectoryReader.Read(new StringReader(DogfoodSeeds.TrajectoryJsonl()));
        Assert.Equal(["run-1", "run-2"], result.Records.Select(r => r.RunId));
        Assert.Contains("truncated", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Grammar_seeds_are_valid_gbnf()
    {
        foreach (var grammar in DogfoodSeeds.Grammars())
            GbnfValidator.Validate(grammar);
    }

    [Fact]
    public void Tokenizer_seeds_load_with_each_loader_and_round_trip_text()
    {
        var dir = TempDir();
        foreach (var (bytes, loader) in new[] { (DogfoodSeeds.TrainedTokenizer(), typeof(ByteLevelBpeTokenizer)), (DogfoodSeeds.HfSplitTokenizer(), typeof(HfTokenizer)) })
        {
            var path = Path.Combine(dir, loader.Name + ".json");
            File.WriteAllBytes(path, bytes);
            var tokenizer = TokenizerLoader.Load(path);
            Assert.IsType(loader, tokenizer);
            const string text = "Thought: the Rhône\n```csharp\nFinalAnswer(5);\n```";
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }
    }

    [Fact]
    public void Chat_request_seeds_are_accepted_by_the_server_reader()
    {
        var full = ChatRequestHarness.Read(Encoding.UTF8.GetBytes(DogfoodSeeds.FullChatRequest()));
        Assert.Equal(4, full.Messages!.Count);
        Assert.Equal(2, full.N);
        Assert.Equal(16, full.MaxTokens); // max_completion_tokens wins over max_tokens
        Assert.Equal(["\n", "END"], full.Stop);
        var minimal = ChatRequestHarness.Read(Encoding.UTF8.GetBytes(DogfoodSeeds.MinimalChatRequest()));
        Assert.Equal(["x"], minimal.Stop);
    }
}
