using AgentKit.Abstractions.Trajectories;
using AgentKit.Core;
using AgentKit.Core.Definitions;
using AgentKit.Core.Models;
using AgentKit.Core.Prompts;
using AgentKit.Core.Running;
using AgentKit.Sandbox;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Agents;
using AgentKit.Training.Grpo.Rollouts;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Grpo.Agents;

/// <summary>
/// A real sandbox and a tiny policy taught (here, in a few seconds) one two-step agent run: compute 6 * 7 into a variable
/// and print it, then <c>FinalAnswer(x)</c>. The answer 42 never appears in what the policy writes: only running its code
/// in the sandbox produces it. Trained on a replay of a scripted run of the same agent, so the policy sees exactly the
/// conversations the agent will send it; not trained to certainty, so sampled rollouts still differ.
/// </summary>
public sealed class AgentPolicyFixture : IAsyncLifetime
{
    public const string FirstAction = "Thought: compute it\n```csharp\nvar x = 6 * 7;\nConsole.WriteLine(x);\n```";
    public const string SecondAction = "Thought: done\n```csharp\nFinalAnswer(x);\n```";

    public static readonly TrajectoryTask Task = new("six-sevens", "What is six times seven?", "42");

    public static readonly AgentDefinition Definition = new()
    {
        Name = "rl-test",
        Instructions = "Compute with C#.",
        PromptStyle = PromptStyle.Compact,
        Model = new AgentModelOptions { Path = "policy.gguf" },
        Sampling = new AgentSamplingOptions { Candidates = 1 },
        Grammar = false,
        MaxSteps = 3,
    };

    public CodeSandbox Sandbox { get; private set; } = null!;

    public ByteLevelBpeTokenizer Tokenizer { get; private set; } = null!;

    public LlamaForCausalLM Policy { get; private set; } = null!;

    /// <summary>The scripted run the policy was taught, as the agent recorded it.</summary>
    public TrajectoryRecord Taught { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        torch.set_num_threads(1);
        Sandbox = await CodeSandbox.StartAsync(new SandboxOptions { PoolSize = 2, Timeout = TimeSpan.FromSeconds(10) });
        var scripted = ScriptedCandidateGenerator.FromReplies([FirstAction], [SecondAction]);
        var agent = new Agent(Definition, scripted, Sandbox, []);
        Taught = (await agent.RunAsync(Task, null)).Trajectory;

        var texts = Taught.Steps.OfType<ActionStep>().SelectMany(s => s.Prompt.Select(m => m.Content).Append(s.Action)).ToList();
        Tokenizer = BpeTrainer.Train(Enumerable.Repeat(texts, 4).SelectMany(t => t), new BpeTrainerOptions { VocabSize = 360 });
        Policy = new LlamaForCausalLM(TinyFixtures.Config(vocab: Tokenizer.VocabSize) with { MaxPositionEmbeddings = 384 }, seed: 3);
        var replay = new TrajectoryRolloutSource([new RecordedRollout(Taught, null)], Tokenizer);
        var example = (await replay.SampleGroupAsync(new RolloutRequest(Policy, Task, 1, 64, 1f, 1f, 0)))[0];
        Teach(Policy, example, steps: 80);
    }

    /// <summary>Supervised steps on the sampled tokens of <paramref name="example"/> only.</summary>
    private static void Teach(LlamaForCausalLM model, Rollout example, int steps)
    {
        using var batch = RolloutBatch.Build([example], maskTruncated: false);
        using var optimizer = optim.AdamW(model.parameters(), 1e-2);
        model.train();
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var (logProbs, _) = PolicyLogProbs.Compute(model, batch.Inputs, batch.Targets, batch.Mask, 1f);
            var loss = -(logProbs * batch.Mask).sum() / batch.Mask.sum();
            loss.backward();
            optimizer.step();
        }
        model.eval();
    }

    public async Task DisposeAsync()
    {
        Policy.Dispose();
        await Sandbox.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AgentPolicyCollection : ICollectionFixture<AgentPolicyFixture>
{
    public const string Name = "agent-policy";
}
