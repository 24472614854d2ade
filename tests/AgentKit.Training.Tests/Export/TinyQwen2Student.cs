using System.Text.Json;
using AgentKit.Training.Model;
using AgentKit.Training.Sft;
using AgentKit.Training.Tests.Checkpoints;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Tests.Export;

/// <summary>
/// The tiny HF Qwen2 checkpoint fine-tuned once per test run with the paper's LoRA recipe (r 64, α 128, all linear
/// layers, lr 2e-4, 2 epochs, loss on assistant turns) through <see cref="SftRun"/>, the path of
/// <c>agentkit train sft --init HFDIR</c>. Tests only read its final checkpoint.
/// </summary>
internal sealed class TinyQwen2Student
{
    private static readonly Lazy<TinyQwen2Student> Shared = new(() => new TinyQwen2Student());

    public static TinyQwen2Student Instance => Shared.Value;

    public static readonly (string Q, string A)[] Facts =
    [
        ("capital of France?", "Paris"), ("2 + 2?", "4"), ("color of the sky?", "blue"), ("opposite of hot?", "cold"),
        ("largest planet?", "Jupiter"), ("frozen water?", "ice"), ("a baby cat?", "kitten"), ("I'M LOUD, aren't I?", "Yes"),
    ];

    public static readonly LoraSettings PaperLora = new() { Rank = 64, Alpha = 128, TargetModules = LoraSettings.AllLinear };

    public TinyQwen2Checkpoint Base { get; } = TinyQwen2Checkpoint.Instance;

    public SftReport Report { get; }

    public string Final => Report.FinalCheckpoint;

    private TinyQwen2Student()
    {
        var dir = TinyFixtures.TempDir();
        var data = Path.Combine(dir, "sft.jsonl");
        File.WriteAllLines(data, Facts.Select(f => JsonSerializer.Serialize(new
        {
            messages = new object[] { new { role = "system", content = "Answer in one word." }, new { role = "user", content = f.Q }, new { role = "assistant", content = f.A } },
        })));
        var options = new SftOptions
        {
            DataPath = data, OutputDirectory = Path.Combine(dir, "run"), Lora = PaperLora, LearningRate = 2e-4, Epochs = 2,
            SequenceLength = 64, BatchSize = 2, WarmupSteps = 0, ValidationFraction = 0, EvalEvery = 0, SaveEvery = 0, Seed = 3,
        };
        using var run = SftRun.Open(Base.Directory, Path.Combine(Base.Directory, TokenizerLoader.FileName), options);
        Report = run.TrainAsync().GetAwaiter().GetResult();
    }
}
