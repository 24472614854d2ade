// agentkit train grpo --tasks tasks.jsonl --init CHECKPOINT_DIR|MODEL.gguf --reward answer,format --group 8 --steps N --out runs/grpo
//     (atlas: --agent agents/atlas --tasks agents/atlas/questions/rephrased.jsonl --reward atlas,format:0.1)
//     [--lora-rank R] [--beta B] [--loss dapo|grpo|dr_grpo] [--scale-rewards group|batch|none] [--lr X] [--temperature T]
//     [--max-tokens N] [--batch-prompts N] [--seed S] [--device cpu|cuda] [--resume] [--json]
//     (input writer: --reward fuzz-distance --questions q.jsonl --target ID@VER|paths --harness NAME [--expect T,…] [--first-stage METHOD] [--fuzz-timeout MS])
using System.CommandLine;
using System.Globalization;
using AgentKit.Core.Display;
using AgentKit.Hosting;
using AgentKit.Training;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Agents;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Model;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit train grpo</c>: binds the flags to <see cref="GrpoRunOptions"/>, runs <see cref="GrpoRun"/>, prints a line
/// per step on stderr (step, reward, share of groups with no reward spread, time per rollout batch) and renders the report.
/// </summary>
internal static class TrainGrpoCommand
{
    // The library names its settings; the user typed flags. Messages of GrpoOptions/LoraSettings start with the setting.
    private static readonly (string Setting, string Flag)[] Flags =
    [
        ("MaxSteps", "--steps"), ("GroupSize", "--group"), ("PromptsPerStep", "--batch-prompts"), ("MaxCompletionLength", "--max-tokens"),
        ("Temperature", "--temperature"), ("Beta", "--beta"), ("LearningRate", "--lr"), ("WarmupSteps", "--warmup"),
        ("NumIterations", "--iterations"), ("EpsilonHigh", "--epsilon-high"), ("Epsilon", "--epsilon"), ("SaveEvery", "--save-every"), ("KeepCheckpoints", "--keep-checkpoints"), ("PrefilterSamples", "--prefilter"), ("MicroBatchTokens", "--micro-batch-tokens"), ("Threads", "--threads"),
        ("LoRA rank", "--lora-rank"), ("LoRA alpha", "--lora-alpha"),
    ];

    public static Command Create()
    {
        var tasks = new Option<string?>("--tasks") { Description = "Task file: JSONL of {\"id\",\"question\",\"answer\"} (the answer rewards compare with \"answer\"); with --reward fuzz-distance, --questions instead." };
        var init = new Option<string>("--init") { Description = "Starting model: a checkpoint directory (with tokenizer.json) or a .gguf file (imported into OUT/init).", Required = true };
        var reward = new Option<string>("--reward")
        {
            Description = $"Reward functions with optional weights, e.g. answer:1,format:0.1. Known: {string.Join(", ", GrpoRewardCatalog.BuiltInNames)}, " +
                $"{AtlasGrpoReward.Name} ({AtlasGrpoReward.Meaning}), {AtlasGrpoReward.StepName} ({AtlasGrpoReward.StepMeaning}), {FuzzDistanceGrpoReward.Name} ({FuzzDistanceGrpoReward.Meaning}), {FuzzDistanceGrpoReward.HitName} ({FuzzDistanceGrpoReward.HitMeaning}).",
            DefaultValueFactory = _ => "answer",
        };
        var group = new Option<int>("--group", "-g") { Description = "Completions sampled per task (G, at least 2).", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "Training steps (one rollout batch each).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Output directory (checkpoints, metrics.jsonl, rollouts.jsonl, grpo.png).", Required = true };
        var loraRank = new Option<int?>("--lora-rank") { Description = "Train LoRA adapters of this rank instead of all weights." };
        var loraAlpha = new Option<double?>("--lora-alpha") { Description = "LoRA alpha (update scale alpha/rank; default 2 x rank)." };
        var beta = new Option<double>("--beta") { Description = "Weight of the KL penalty to the starting model (0: no reference kept).", DefaultValueFactory = _ => 0 };
        var loss = new Option<string>("--loss") { Description = "Loss normalisation: dapo (token-level), grpo (per sequence) or dr_grpo (constant).", DefaultValueFactory = _ => "dapo" };
        OneOf(loss, [.. GrpoNames.LossTypes.Keys]);
        var scale = new Option<string>("--scale-rewards") { Description = "Advantages divided by the group's std, the batch's, or none (Dr. GRPO).", DefaultValueFactory = _ => "group" };
        OneOf(scale, [.. GrpoNames.Scalings.Keys]);
        var lr = new Option<double>("--lr") { Description = "Peak learning rate (1e-6 suits 0.5B+ models; tiny models need far more).", DefaultValueFactory = _ => 1e-6 };
        var warmup = new Option<int>("--warmup") { Description = "Linear warm-up in optimizer steps.", DefaultValueFactory = _ => 0 };
        var temperature = new Option<float>("--temperature", "-t") { Description = "Sampling temperature (> 0).", DefaultValueFactory = _ => 1.0f };
        var maxTokens = new Option<int>("--max-tokens") { Description = "Most tokens generated per completion.", DefaultValueFactory = _ => 64 };
        var batchPrompts = new Option<int>("--batch-prompts") { Description = "Tasks per rollout batch (a step trains on batch-prompts x group completions).", DefaultValueFactory = _ => 4 };
        var epsilon = new Option<double>("--epsilon") { Description = "Lower clip of the policy ratio (1 - epsilon); it only acts with --iterations above 1.", DefaultValueFactory = _ => 0.2 };
        var epsilonHigh = new Option<double?>("--epsilon-high") { Description = "Upper clip (1 + epsilon-high; DAPO's clip-higher uses 0.28); default: --epsilon." };
        var iterations = new Option<int>("--iterations") { Description = "Optimisation passes over each rollout batch (TRL's num_iterations).", DefaultValueFactory = _ => 1 };
        var dynamic = new Option<bool>("--dynamic-sampling") { Description = "Drop groups whose rewards are all equal and sample more tasks instead." };
        var prefilter = new Option<int>("--prefilter")
        {
            Description = "Before training, sample N completions of every task with the starting model and train only on tasks whose rewards differ among them (0: all tasks; written to OUT/prefilter.jsonl).",
            DefaultValueFactory = _ => 0,
        };
        var microBatchTokens = new Option<int>("--micro-batch-tokens")
        {
            Description = "Pack each update's rollouts, longest first, into micro-batches of at most this many padded tokens (0: one batch padded to the longest; the update is the same, faster when lengths differ).",
            DefaultValueFactory = _ => 0,
        };
        var saveEvery = new Option<int>("--save-every") { Description = "Save a resumable checkpoint every N steps (0: only at the end).", DefaultValueFactory = _ => 0 };
        var keep = new Option<int>("--keep-checkpoints") { Description = "Also keep the model of each of the last N saves (every --save-every steps and the last step) as OUT/checkpoint-STEP (for evaluation; needs --save-every).", DefaultValueFactory = _ => 0 };
        var seed = new Option<long>("--seed") { Description = "Seed of the task order, sampling and LoRA initialisation.", DefaultValueFactory = _ => 1234 };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out (without it, an --out that holds files is refused)." };
        var agent = new Option<string?>("--agent") { Description = "Agent folder whose whole runs, through the sandbox and its tools, are the rollouts (default: plain completions of the questions)." };
        var fuzzFlags = new GrpoFuzzDistanceFlags();
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("grpo", "Reinforcement learning on verifiable rewards (GRPO): sample groups of completions per task, reward them, train on the advantages.")
        {
            tasks, init, reward, group, steps, output, loraRank, loraAlpha, beta, loss, scale, lr, warmup, temperature, maxTokens, batchPrompts,
            iterations, epsilon, epsilonHigh, dynamic, prefilter, microBatchTokens, saveEvery, keep, seed, resume, agent, threads, device, json,
        };
        foreach (var option in fuzzFlags.All)
            command.Options.Add(option);
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            if (pr.GetValue(agent) is { } agentPath && !Directory.Exists(agentPath))
                throw new CliUsageException($"--agent: agent folder not found: {agentPath}");
            var rewardSpec = pr.GetValue(reward)!;
            CliUsageException.Check(() => GrpoRewardCatalog.Parse(rewardSpec), message => $"--reward: {message}");
            var fuzz = FuzzDistanceGrpoReward.IsNamed(rewardSpec);
            var tasksPath = fuzzFlags.TasksPath(pr, fuzz, tasks, agent);
            if (!File.Exists(tasksPath))
                throw new CliUsageException($"{(fuzz ? "--questions: question" : "--tasks: task")} file not found: {tasksPath}");
            var initPath = pr.GetValue(init)!;
            if (!Directory.Exists(initPath) && !File.Exists(initPath))
                throw new CliUsageException($"--init must be a checkpoint directory or a .gguf file; '{initPath}' does not exist.");
            var fuzzHarness = fuzzFlags.Harness(pr, fuzz);
            var trainer = CliUsageException.Check(() => new GrpoOptions
            {
                OutputDirectory = pr.GetValue(output)!, MaxSteps = pr.GetValue(steps), GroupSize = pr.GetValue(group),
                PromptsPerStep = pr.GetValue(batchPrompts), MaxCompletionLength = pr.GetValue(maxTokens), Temperature = pr.GetValue(temperature),
                Beta = pr.GetValue(beta), LossType = GrpoNames.ParseLossType(pr.GetValue(loss)!),
                ScaleRewards = GrpoNames.ParseScaling(pr.GetValue(scale)!), LearningRate = pr.GetValue(lr),
                WarmupSteps = pr.GetValue(warmup), NumIterations = pr.GetValue(iterations), Epsilon = pr.GetValue(epsilon), EpsilonHigh = pr.GetValue(epsilonHigh), DynamicSampling = pr.GetValue(dynamic), PrefilterSamples = pr.GetValue(prefilter),
                MicroBatchTokens = pr.GetValue(microBatchTokens),
                SaveEvery = pr.GetValue(saveEvery), KeepCheckpoints = pr.GetValue(keep), Seed = pr.GetValue(seed), Threads = pr.GetValue(threads),
                Device = ComputeDevices.Parse(pr.GetValue(device)!),
                Lora = pr.GetValue(loraRank) is { } rank ? new LoraSettings { Rank = rank, Alpha = pr.GetValue(loraAlpha) ?? 2.0 * rank } : null,
            }.Validate(), FlagOf);

            var stderr = pr.InvocationConfiguration.Error;
            // The target is resolved and instrumented once the cheap checks passed: a bad flag should not wait for a download.
            using var fuzzReward = fuzz ? await fuzzFlags.OpenRewardAsync(pr, tasksPath, fuzzHarness!, trainer.OutputDirectory, ct) : null;
            IReadOnlyList<IRewardFunction> customRewards = fuzzReward is not null ? fuzzReward.Functions : AtlasGrpoReward.For(rewardSpec, tasksPath, agentRuns: pr.GetValue(agent) is not null);
            CliUsageException.Check(() => GrpoRewardCatalog.Build(rewardSpec, customRewards), message => $"--reward: {message}");

            var options = CliUsageException.Check(() => new GrpoRunOptions
            {
                TasksPath = tasksPath, Tasks = fuzzReward?.Tasks, Init = initPath, Rewards = rewardSpec, CustomRewards = customRewards,
                Resume = pr.GetValue(resume), Trainer = trainer,
                RolloutSource = fuzzReward?.RolloutSource(warning => stderr.WriteLine($"warning: {TerminalText.Escape(warning)}")),
            }.Validate(), FlagOf);

            // With --agent a rollout is a whole run of that agent: its sandbox and tools, one candidate a step, no grammar.
            await using var host = pr.GetValue(agent) is { } agentFolder
                ? await AgentHost.OpenAsync(new AgentHostSettings { AgentFolder = agentFolder, OpenModel = false, NoGrammar = true, Candidates = 1, Threads = pr.GetValue(threads) }, ct)
                : null;
            if (host is not null)
                options = options with
                {
                    RolloutSource = context => new AgentRolloutSource(host.Agent.Definition, host.Sandbox, host.Tools, context.Tokenizer,
                        new AgentRolloutOptions
                        {
                            TrajectoryPath = Path.Combine(context.Trainer.OutputDirectory, "agent-rollouts.jsonl"),
                            OnRetry = message => stderr.WriteLine($"warning: {TerminalText.Escape(message)}"),
                        }),
                };

            using var run = GrpoRun.Open(options);
            foreach (var warning in run.TaskWarnings)
                stderr.WriteLine($"warning: {TerminalText.Escape(warning)}");
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run.Parameters / 1e6:F2}M parameters{(trainer.Lora is null ? "" : $", LoRA rank {trainer.Lora.Rank}")}, {run.Tasks} tasks, " +
                $"{trainer.PromptsPerStep} x {trainer.GroupSize} completions a step, from {run.InitCheckpoint}; output {trainer.OutputDirectory}"));
            // The prefilter samples every task before the first step line: say why nothing is printed for a while.
            if (trainer.PrefilterSamples > 0 && !File.Exists(Path.Combine(trainer.OutputDirectory, GrpoRunFiles.Prefilter)))
                stderr.WriteLine($"prefilter: sampling {trainer.PrefilterSamples} completions of each of the {run.Tasks} tasks with the starting model");
            var report = await run.TrainAsync(new SyncProgress<GrpoStepMetrics>(m => stderr.WriteLine(ProgressLine(m))), ct);
            if (fuzzReward is not null)
                stderr.WriteLine($"{FuzzDistanceGrpoReward.Name}: {fuzzReward.Executions} distinct input(s) run, {fuzzReward.Findings} finding(s)" +
                    (fuzzReward.Findings > 0 ? $" in {fuzzReward.FindingsDirectory}" : ""));
            CliOutput.Write(pr, pr.GetValue(json), report, console => console.Write(Render(report)));
            return CliApp.Success;
        });
        return command;
    }

    /// <summary>One step on one line: the figures that say whether the run learns and what a step costs.</summary>
    internal static string ProgressLine(GrpoStepMetrics m) => string.Create(CultureInfo.InvariantCulture,
        $"step {m.Step}/{m.TotalSteps}  reward {m.RewardMean:F3} ({string.Join(", ", m.RewardMeanByFunction.Select(p => $"{p.Key} {p.Value:F2}"))})  " +
        $"zero-std {m.FracRewardZeroStd:F2}  rollouts {m.RolloutSeconds:F2} s  update {m.UpdateSeconds:F2} s  len {m.CompletionLengthMean:F1}");

    private static Table Render(GrpoReport report) => new Table().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned())
        .AddRow("steps", $"{report.Steps} (this run {report.StepsRun}, resumed from {report.ResumedFromStep})")
        .AddRow("parameters (trainable)", $"{report.Parameters:N0} ({report.TrainableParameters:N0})")
        .AddRow("tasks", (report.SkippedTaskLines > 0 ? $"{report.Tasks} ({report.SkippedTaskLines} lines skipped)" : $"{report.Tasks}")
            + (report.TasksTrained != report.Tasks ? string.Create(CultureInfo.InvariantCulture, $", {report.TasksTrained} kept by the prefilter ({report.PrefilterSeconds:F1} s)") : ""))
        .AddRow("rewards", Markup.Escape(string.Join(", ", report.Rewards.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Name}:{r.Weight:G}")))))
        .AddRow("reward first → last", report.RewardFirst is { } first
            ? string.Create(CultureInfo.InvariantCulture, $"{first:F3} → {report.RewardLast:F3}")
            : "-")
        .AddRow("groups with no reward spread", report.FracRewardZeroStdMean?.ToString("P0", CultureInfo.InvariantCulture) ?? "-")
        .AddRow("time (rollouts / update)", string.Create(CultureInfo.InvariantCulture,
            $"{report.Seconds:F1} s ({report.RolloutSeconds:F1} s = {report.RolloutShare:P0} / {report.UpdateSeconds:F1} s)"))
        .AddRow("tokens/s rollout / update", string.Create(CultureInfo.InvariantCulture, $"{report.RolloutTokensPerSecond:F0} / {report.UpdateTokensPerSecond:F0}"))
        .AddRow("final checkpoint", Markup.Escape(report.FinalCheckpoint))
        .AddRow("kept checkpoints", report.KeptCheckpoints.Count == 0 ? "-" : Markup.Escape(string.Join(", ", report.KeptCheckpoints.Select(Path.GetFileName))))
        .AddRow("metrics / rollouts / plot", Markup.Escape($"{report.Metrics}, {report.Rollouts}, {report.Plot}"));

    // AcceptOnlyFromAmong's message does not say which flag was wrong.
    private static void OneOf(Option<string> option, string[] values) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<string>() is { } value && !values.Contains(value, StringComparer.OrdinalIgnoreCase))
            result.AddError($"{option.Name} must be {string.Join(", ", values[..^1])} or {values[^1]}, got '{value}'.");
    });

    // Every setting the message names becomes its flag (a rule may name two: KeepCheckpoints needs SaveEvery).
    private static string FlagOf(string message)
    {
        foreach (var (setting, flag) in Flags)
            message = System.Text.RegularExpressions.Regex.Replace(message, $@"\b{System.Text.RegularExpressions.Regex.Escape(setting)}\b", flag);
        return message;
    }
}
