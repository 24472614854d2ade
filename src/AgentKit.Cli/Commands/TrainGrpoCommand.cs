// agentkit train grpo --tasks tasks.jsonl --init CHECKPOINT_DIR|MODEL.gguf --reward answer,format --group 8 --steps N --out runs/grpo
//     (atlas: --agent agents/atlas --tasks agents/atlas/questions/rephrased.jsonl --reward atlas,format:0.1)
//     [--lora-rank R] [--beta B] [--loss dapo|grpo|dr_grpo] [--scale-rewards group|batch|none] [--lr X] [--temperature T]
//     [--max-tokens N] [--batch-prompts N] [--seed S] [--device cpu|cuda] [--resume] [--json]
//     (input writer: --reward fuzz-distance --questions q.jsonl --target ID@VER|paths --harness NAME [--expect T,…] [--first-stage METHOD] [--fuzz-timeout MS])
using System.CommandLine;
using System.Globalization;
using AgentKit.Core.Display;
using AgentKit.Fuzzing;
using AgentKit.Fuzzing.Instrumentation;
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
        ("NumIterations", "--iterations"), ("SaveEvery", "--save-every"), ("Threads", "--threads"),
        ("LoRA rank", "--lora-rank"), ("LoRA alpha", "--lora-alpha"),
    ];

    public static Command Create()
    {
        var tasks = new Option<string?>("--tasks") { Description = "Task file: JSONL of {\"id\",\"question\",\"answer\"} (the answer rewards compare with \"answer\"); with --reward fuzz-distance, --questions instead." };
        var init = new Option<string>("--init") { Description = "Starting model: a checkpoint directory (with tokenizer.json) or a .gguf file (imported into OUT/init).", Required = true };
        var reward = new Option<string>("--reward")
        {
            Description = $"Reward functions with optional weights, e.g. answer:1,format:0.1. Known: {string.Join(", ", GrpoRewardCatalog.BuiltInNames)}, " +
                $"{AtlasGrpoReward.Name} ({AtlasGrpoReward.Meaning}), {FuzzDistanceGrpoReward.Name} ({FuzzDistanceGrpoReward.Meaning}).",
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
        var iterations = new Option<int>("--iterations") { Description = "Optimisation passes over each rollout batch (TRL's num_iterations).", DefaultValueFactory = _ => 1 };
        var dynamic = new Option<bool>("--dynamic-sampling") { Description = "Drop groups whose rewards are all equal and sample more tasks instead." };
        var saveEvery = new Option<int>("--save-every") { Description = "Save a resumable checkpoint every N steps (0: only at the end).", DefaultValueFactory = _ => 0 };
        var seed = new Option<long>("--seed") { Description = "Seed of the task order, sampling and LoRA initialisation.", DefaultValueFactory = _ => 1234 };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out (without it, an --out that holds files is refused)." };
        var agent = new Option<string?>("--agent") { Description = "Agent folder whose whole runs, through the sandbox and its tools, are the rollouts (default: plain completions of the questions)." };
        var questions = new Option<string?>("--questions") { Description = "With --reward fuzz-distance: frontier questions (JSONL from fuzz questions or fuzz hindsight --questions-out), one task each." };
        var target = new Option<string?>("--target") { Description = "With --reward fuzz-distance: the questions' target, NuGet Id@Version or assembly path(s) separated by ','." };
        var harness = new Option<string?>("--harness") { Description = $"With --reward fuzz-distance: built-in adapter ({string.Join(", ", FuzzHarness.BuiltInNames)}) or Namespace.Type.Method." };
        var expected = new Option<string?>("--expect") { Description = "With --reward fuzz-distance and a user harness: exception types that are normal rejections, comma-separated." };
        var firstStage = new Option<string?>("--first-stage") { Description = "With --reward fuzz-distance: (part of) the full name of the method an input must enter to pass the first stage; others score 0." };
        var fuzzTimeout = new Option<int>("--fuzz-timeout") { Description = "With --reward fuzz-distance: milliseconds a candidate input may run before it is a hang.", DefaultValueFactory = _ => 1000 };
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("grpo", "Reinforcement learning on verifiable rewards (GRPO): sample groups of completions per task, reward them, train on the advantages.")
        {
            tasks, init, reward, group, steps, output, loraRank, loraAlpha, beta, loss, scale, lr, warmup, temperature, maxTokens, batchPrompts,
            iterations, dynamic, saveEvery, seed, resume, agent, questions, target, harness, expected, firstStage, fuzzTimeout, threads, device, json,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            if (pr.GetValue(agent) is { } agentPath && !Directory.Exists(agentPath))
                throw new CliUsageException($"--agent: agent folder not found: {agentPath}");
            var rewardSpec = pr.GetValue(reward)!;
            CliUsageException.Check(() => GrpoRewardCatalog.Parse(rewardSpec), message => $"--reward: {message}");
            var fuzz = FuzzDistanceGrpoReward.IsNamed(rewardSpec);
            var tasksPath = fuzz
                ? FuzzFlags(pr, tasks, questions, target, harness, agent)
                : NoFuzzFlags(pr, [questions, target, harness, expected, firstStage]) ?? pr.GetValue(tasks)
                  ?? throw new CliUsageException("--tasks is required (a task file; or --questions with --reward fuzz-distance).");
            if (!File.Exists(tasksPath))
                throw new CliUsageException($"{(fuzz ? "--questions: question" : "--tasks: task")} file not found: {tasksPath}");
            var initPath = pr.GetValue(init)!;
            if (!Directory.Exists(initPath) && !File.Exists(initPath))
                throw new CliUsageException($"--init must be a checkpoint directory or a .gguf file; '{initPath}' does not exist.");
            var fuzzHarness = fuzz ? CliUsageException.Check(() => FuzzHarness.Parse(pr.GetValue(harness)!, pr.GetValue(expected))) : null;
            if (pr.GetValue(fuzzTimeout) < 1)
                throw new CliUsageException($"--fuzz-timeout must be at least 1 ms, got {pr.GetValue(fuzzTimeout)}.");
            var trainer = CliUsageException.Check(() => new GrpoOptions
            {
                OutputDirectory = pr.GetValue(output)!, MaxSteps = pr.GetValue(steps), GroupSize = pr.GetValue(group),
                PromptsPerStep = pr.GetValue(batchPrompts), MaxCompletionLength = pr.GetValue(maxTokens), Temperature = pr.GetValue(temperature),
                Beta = pr.GetValue(beta), LossType = GrpoNames.ParseLossType(pr.GetValue(loss)!),
                ScaleRewards = GrpoNames.ParseScaling(pr.GetValue(scale)!), LearningRate = pr.GetValue(lr),
                WarmupSteps = pr.GetValue(warmup), NumIterations = pr.GetValue(iterations), DynamicSampling = pr.GetValue(dynamic),
                SaveEvery = pr.GetValue(saveEvery), Seed = pr.GetValue(seed), Threads = pr.GetValue(threads),
                Device = ComputeDevices.Parse(pr.GetValue(device)!),
                Lora = pr.GetValue(loraRank) is { } rank ? new LoraSettings { Rank = rank, Alpha = pr.GetValue(loraAlpha) ?? 2.0 * rank } : null,
            }.Validate(), FlagOf);

            var stderr = pr.InvocationConfiguration.Error;
            // The target is resolved and instrumented once the cheap checks passed: a bad flag should not wait for a download.
            using var fuzzReward = fuzz
                ? FuzzDistanceGrpoReward.Open(tasksPath, await InstrumentAsync(pr.GetValue(target)!, fuzzHarness!, ct), fuzzHarness!,
                    pr.GetValue(firstStage), TimeSpan.FromMilliseconds(pr.GetValue(fuzzTimeout)), trainer.OutputDirectory)
                : null;
            IReadOnlyList<IRewardFunction> customRewards = fuzzReward is not null ? [fuzzReward.Function] : AtlasGrpoReward.For(rewardSpec, tasksPath);
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
                        new AgentRolloutOptions { TrajectoryPath = Path.Combine(context.Trainer.OutputDirectory, "agent-rollouts.jsonl") }),
                };

            using var run = GrpoRun.Open(options);
            foreach (var warning in run.TaskWarnings)
                stderr.WriteLine($"warning: {TerminalText.Escape(warning)}");
            stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{run.Parameters / 1e6:F2}M parameters{(trainer.Lora is null ? "" : $", LoRA rank {trainer.Lora.Rank}")}, {run.Tasks} tasks, " +
                $"{trainer.PromptsPerStep} x {trainer.GroupSize} completions a step, from {run.InitCheckpoint}; output {trainer.OutputDirectory}"));
            var report = await run.TrainAsync(new SyncProgress<GrpoStepMetrics>(m => stderr.WriteLine(ProgressLine(m))), ct);
            if (fuzzReward is not null)
                stderr.WriteLine($"{FuzzDistanceGrpoReward.Name}: {fuzzReward.Executions} distinct input(s) run, {fuzzReward.Findings} finding(s)" +
                    (fuzzReward.Findings > 0 ? $" in {fuzzReward.FindingsDirectory}" : ""));
            CliOutput.Write(pr, pr.GetValue(json), report, console => console.Write(Render(report)));
            return CliApp.Success;
        });
        return command;
    }

    // With fuzz-distance the tasks are the questions, about the target the reward runs inputs in.
    private static string FuzzFlags(ParseResult pr, Option<string?> tasks, Option<string?> questions, Option<string?> target, Option<string?> harness,
        Option<string?> agent)
    {
        const string Needs = "--reward fuzz-distance needs";
        if (pr.GetValue(tasks) is not null)
            throw new CliUsageException("--tasks: with --reward fuzz-distance the tasks are the questions of --questions; drop --tasks.");
        if (pr.GetValue(agent) is not null)
            throw new CliUsageException("--agent: --reward fuzz-distance scores plain completions, not agent runs.");
        if (pr.GetValue(target) is null)
            throw new CliUsageException($"{Needs} --target (NuGet Id@Version or assembly paths): the target the questions are about.");
        if (pr.GetValue(harness) is null)
            throw new CliUsageException($"{Needs} --harness (the harness the questions' campaign ran).");
        return pr.GetValue(questions)
               ?? throw new CliUsageException($"{Needs} --questions q.jsonl (from agentkit fuzz questions or fuzz hindsight --questions-out).");
    }

    private static string? NoFuzzFlags(ParseResult pr, IEnumerable<Option<string?>> fuzzOnly) =>
        fuzzOnly.FirstOrDefault(o => pr.GetValue(o) is not null) is { } given
            ? throw new CliUsageException($"{given.Name} is only used with --reward {FuzzDistanceGrpoReward.Name}.")
            : null;

    private static async Task<InstrumentedTarget> InstrumentAsync(string target, FuzzHarness harness, CancellationToken ct)
    {
        var resolved = await FuzzCommand.ResolveTargetAsync(target, harness, ct);
        return AssemblyInstrumenter.Instrument(resolved.Assemblies, resolved.Dependencies, FuzzTarget.DefaultCacheDirectory);
    }

    /// <summary>One step on one line: the figures that say whether the run learns and what a step costs.</summary>
    internal static string ProgressLine(GrpoStepMetrics m) => string.Create(CultureInfo.InvariantCulture,
        $"step {m.Step}/{m.TotalSteps}  reward {m.RewardMean:F3} ({string.Join(", ", m.RewardMeanByFunction.Select(p => $"{p.Key} {p.Value:F2}"))})  " +
        $"zero-std {m.FracRewardZeroStd:F2}  rollouts {m.RolloutSeconds:F2} s  update {m.UpdateSeconds:F2} s  len {m.CompletionLengthMean:F1}");

    private static Table Render(GrpoReport report) => new Table().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned())
        .AddRow("steps", $"{report.Steps} (this run {report.StepsRun}, resumed from {report.ResumedFromStep})")
        .AddRow("parameters (trainable)", $"{report.Parameters:N0} ({report.TrainableParameters:N0})")
        .AddRow("tasks", report.SkippedTaskLines > 0 ? $"{report.Tasks} ({report.SkippedTaskLines} lines skipped)" : $"{report.Tasks}")
        .AddRow("rewards", Markup.Escape(string.Join(", ", report.Rewards.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Name}:{r.Weight:G}")))))
        .AddRow("reward first → last", report.RewardFirst is { } first
            ? string.Create(CultureInfo.InvariantCulture, $"{first:F3} → {report.RewardLast:F3}")
            : "-")
        .AddRow("groups with no reward spread", report.FracRewardZeroStdMean?.ToString("P0", CultureInfo.InvariantCulture) ?? "-")
        .AddRow("time (rollouts / update)", string.Create(CultureInfo.InvariantCulture,
            $"{report.Seconds:F1} s ({report.RolloutSeconds:F1} s = {report.RolloutShare:P0} / {report.UpdateSeconds:F1} s)"))
        .AddRow("tokens/s rollout / update", string.Create(CultureInfo.InvariantCulture, $"{report.RolloutTokensPerSecond:F0} / {report.UpdateTokensPerSecond:F0}"))
        .AddRow("final checkpoint", Markup.Escape(report.FinalCheckpoint))
        .AddRow("metrics / rollouts / plot", Markup.Escape($"{report.Metrics}, {report.Rollouts}, {report.Plot}"));

    // AcceptOnlyFromAmong's message does not say which flag was wrong.
    private static void OneOf(Option<string> option, string[] values) => option.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<string>() is { } value && !values.Contains(value, StringComparer.OrdinalIgnoreCase))
            result.AddError($"{option.Name} must be {string.Join(", ", values[..^1])} or {values[^1]}, got '{value}'.");
    });

    private static string FlagOf(string message)
    {
        foreach (var (setting, flag) in Flags)
        {
            if (message.StartsWith(setting + " ", StringComparison.Ordinal))
                return flag + message[setting.Length..];
        }
        return message;
    }
}
