using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Running;
using AgentKit.Core.Trajectories;
using AgentKit.Models.LlamaSharp;
using AgentKit.TestUtils;

namespace AgentKit.Core.Tests.Running;

/// <summary>
/// The whole stack: a real (random, tiny) GGUF through LLamaSharp with the action grammar, the real sandbox,
/// the JSONL recorder and the SFT export. The model writes noise, so the code fails; the format must not.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class AgentLlamaEndToEndTests(SandboxFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Random_model_actions_all_parse_run_and_are_recorded()
    {
        using var generator = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), ContextSize = 2048, Threads = 2 });
        var definition = AgentLoopTests.Definition(maxSteps: 2, candidates: 3) with
        {
            Sampling = new() { Candidates = 3, Seed = 7, Temperature = 1.0f, MaxTokensPerStep = 120 },
            GrammarMaxThoughtChars = 24,
            GrammarMaxCodeChars = 48,
        };
        var path = Path.Combine(_dir, "traj.jsonl");
        using var writer = new JsonlTrajectoryWriter(path);

        var result = await new Agent(definition, generator, fixture.Sandbox, [], new AgentRunOptions { Sink = writer })
            .RunAsync(new TrajectoryTask("e2e", "What is 2+2?", "4"), null);

        var actions = result.Steps.OfType<ActionStep>().ToList();
        Assert.NotEmpty(actions);
        Assert.All(actions, a =>
        {
            Assert.Equal(3, a.Candidates.Count);
            Assert.All(a.Candidates, c =>
            {
                Assert.True(c.Parsed, $"{c.ParseError}\n{c.Text}");
                Assert.NotNull(c.Status); // every parsed candidate was executed in the sandbox
            });
            Assert.True(a.Usage.PromptTokens > 0);
        });
        Assert.Equal(generator.Model, result.Trajectory.Model);

        var read = JsonlTrajectoryReader.Read(path);
        Assert.Empty(read.Warnings);
        var example = SftExporter.ToExample(Assert.Single(read.Records));
        if (result.Outcome is RunOutcome.Answered or RunOutcome.StepLimit)
        {
            Assert.NotNull(example);
            Assert.Equal("system", example.Messages[0].Role);
            Assert.Equal(1, example.Messages[^1].Weight);
        }
    }
}
