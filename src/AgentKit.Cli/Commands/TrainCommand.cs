// agentkit train tokenizer --input corpus.txt [--input more.jsonl] --vocab-size 1024 --out tokenizer.json [--json]
// agentkit train sft --data sft.jsonl --base config.json|CHECKPOINT_DIR [--tokenizer tokenizer.json] --out runs/sft [--lora-rank 8] [--max-steps 200] [--json]
// agentkit train sft --data sft.jsonl --init HF_DIR --out runs/sft --lora-rank 64 --lora-alpha 128 --lora-targets all-linear --lr 2e-4 --epochs 2
// agentkit train grpo --tasks tasks.jsonl --init CHECKPOINT_DIR|MODEL.gguf --reward answer,format --group 8 --steps N --out runs/grpo [...] [--json] (TrainGrpoCommand.cs)
using System.CommandLine;
using System.Globalization;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using AgentKit.Training.Sft;
using AgentKit.Training.Tokenization;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit train</c>: binds the flags to <see cref="TokenizerTraining.Train"/> (a byte-level BPE tokenizer) or
/// <see cref="SftRun"/> (fine-tuning on SFT data) and renders the report; <c>train grpo</c> is <see cref="TrainGrpoCommand"/>,
/// <c>train interpolate</c> <see cref="TrainInterpolateCommand"/>.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var command = new Command("train", "Train a tokenizer, fine-tune a model (SFT) or improve it on verifiable rewards (GRPO); TorchSharp.");
        command.Subcommands.Add(Tokenizer());
        command.Subcommands.Add(Sft());
        command.Subcommands.Add(TrainGrpoCommand.Create());
        command.Subcommands.Add(TrainInterpolateCommand.Create());
        return command;
    }

    private static Command Tokenizer()
    {
        var input = new Option<string[]>("--input", "-i") { Description = "Text file (whole file is one document) or messages JSONL (each conversation rendered in ChatML); repeatable.", Required = true };
        var vocabSize = new Option<int>("--vocab-size") { Description = "Vocabulary size including 256 byte tokens and the special tokens.", DefaultValueFactory = _ => 1024 };
        var output = new Option<string>("--out", "-o") { Description = "Output tokenizer.json.", Required = true };
        var special = new Option<string[]>("--special") { Description = "Special tokens (default: <|endoftext|> <|im_start|> <|im_end|>).", DefaultValueFactory = _ => [] };
        var json = CommonOptions.Json();
        var command = new Command("tokenizer", "Train a byte-level BPE tokenizer whose tokenization llama.cpp reproduces once exported.") { input, vocabSize, output, special, json };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var files = pr.GetValue(input)!;
            foreach (var file in files)
            {
                if (!File.Exists(file))
                    throw new CliUsageException($"input file not found: {file}");
            }
            var specials = pr.GetValue(special)!;
            var options = CliUsageException.Check(() =>
                new BpeTrainerOptions { VocabSize = pr.GetValue(vocabSize), SpecialTokens = specials.Length > 0 ? specials : ChatFormat.SpecialTokens }.Validate());
            var path = pr.GetValue(output)!;
            CliOutput.Write(pr, pr.GetValue(json), TokenizerTraining.Train(files, options, path), report =>
                $"wrote {path}: {report.VocabSize} tokens ({report.Merges} merges, {report.SpecialTokens.Count} special) from {report.InputCharacters:N0} characters in {report.Seconds:F2} s");
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static Command Sft()
    {
        var data = new Option<string>("--data") { Description = "Training data: messages JSONL (per-message \"weight\" optional; default trains assistant turns).", Required = true };
        var baseModel = new Option<string>("--base", "--init") { Description = "A config.json for a fresh model, or a checkpoint directory to fine-tune (ours or a Hugging Face llama/qwen2 folder).", Required = true };
        var tokenizerPath = new Option<string?>("--tokenizer") { Description = "tokenizer.json (default: the one in the --base checkpoint)." };
        var output = new Option<string>("--out", "-o") { Description = "Output directory (checkpoints, metrics.csv, loss.png). Re-running with the same directory resumes.", Required = true };
        var validation = new Option<string?>("--val-data") { Description = "Validation JSONL (default: hold out --val-fraction of --data)." };
        var valFraction = new Option<double>("--val-fraction") { Description = "Fraction of examples held out for validation.", DefaultValueFactory = _ => 0.1 };
        var loraRank = new Option<int?>("--lora-rank") { Description = "Train LoRA adapters of this rank instead of all weights." };
        var loraAlpha = new Option<double>("--lora-alpha") { Description = "LoRA alpha (update scale alpha/rank).", DefaultValueFactory = _ => 16 };
        var loraDropout = new Option<double>("--lora-dropout") { Description = "Dropout on the LoRA input.", DefaultValueFactory = _ => 0 };
        var loraTargets = new Option<string>("--lora-targets") { Description = "Comma-separated projections to adapt (q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj), or all-linear for all seven.", DefaultValueFactory = _ => "q_proj,k_proj,v_proj,o_proj" };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the data (ignored with --max-steps).", DefaultValueFactory = _ => 1 };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Optimizer steps to run." };
        var lr = new Option<double>("--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 1e-3 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up steps.", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch-size") { Description = "Packed rows per micro-batch.", DefaultValueFactory = _ => 4 };
        var accumulation = new Option<int>("--grad-accum") { Description = "Micro-batches per optimizer step.", DefaultValueFactory = _ => 1 };
        var sequence = new Option<int>("--seq-len") { Description = "Tokens per packed row.", DefaultValueFactory = _ => 512 };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay.", DefaultValueFactory = _ => 0 };
        var clip = new Option<double>("--max-grad-norm") { Description = "Gradient clipping norm (0 disables).", DefaultValueFactory = _ => 1.0 };
        var evalEvery = new Option<int>("--eval-every") { Description = "Validate every N steps.", DefaultValueFactory = _ => 50 };
        var saveEvery = new Option<int>("--save-every") { Description = "Save a resumable checkpoint every N steps.", DefaultValueFactory = _ => 100 };
        var seed = new Option<long>("--seed") { Description = "Seed for initialisation, data order and dropout.", DefaultValueFactory = _ => 1234 };
        var threads = CommonOptions.Threads();
        var device = CommonOptions.Device();
        var json = CommonOptions.Json();
        var command = new Command("sft", "Supervised fine-tuning (loss on assistant turns), full or LoRA, with resumable checkpoints.")
        {
            data, baseModel, tokenizerPath, output, validation, valFraction, loraRank, loraAlpha, loraDropout, loraTargets, epochs, maxSteps, lr, warmup,
            batch, accumulation, sequence, weightDecay, clip, evalEvery, saveEvery, seed, threads, device, json,
        };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            var basePath = pr.GetValue(baseModel)!;
            var dataPath = pr.GetValue(data)!;
            if (!File.Exists(dataPath))
                throw new CliUsageException($"data file not found: {dataPath}");
            if (!CheckpointIO.IsCheckpoint(basePath) && !File.Exists(basePath))
                throw new CliUsageException($"--base/--init must be a config.json or a checkpoint directory; '{basePath}' is neither.");
            var tokenizerFile = pr.GetValue(tokenizerPath) ?? SftRun.DefaultTokenizer(basePath)
                ?? throw new CliUsageException("a fresh model needs --tokenizer (train one with 'agentkit train tokenizer').");
            if (!File.Exists(tokenizerFile))
                throw new CliUsageException($"tokenizer not found: {tokenizerFile}");

            var options = CliUsageException.Check(() => new SftOptions
                {
                    DataPath = dataPath, OutputDirectory = pr.GetValue(output)!, ValidationPath = pr.GetValue(validation),
                    ValidationFraction = pr.GetValue(valFraction), Epochs = pr.GetValue(epochs), MaxSteps = pr.GetValue(maxSteps),
                    LearningRate = pr.GetValue(lr), WarmupSteps = pr.GetValue(warmup), BatchSize = pr.GetValue(batch),
                    GradientAccumulationSteps = pr.GetValue(accumulation), SequenceLength = pr.GetValue(sequence),
                    WeightDecay = pr.GetValue(weightDecay), MaxGradNorm = pr.GetValue(clip), EvalEvery = pr.GetValue(evalEvery),
                    SaveEvery = pr.GetValue(saveEvery), Seed = pr.GetValue(seed), Threads = pr.GetValue(threads),
                    Device = AgentKit.Training.ComputeDevices.Parse(pr.GetValue(device)!),
                    Lora = pr.GetValue(loraRank) is { } rank
                        ? new LoraSettings
                        {
                            Rank = rank, Alpha = pr.GetValue(loraAlpha), Dropout = pr.GetValue(loraDropout),
                            TargetModules = pr.GetValue(loraTargets) == "all-linear"
                                ? LoraSettings.AllLinear
                                : pr.GetValue(loraTargets)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                        }
                        : null,
                }.Validate());

            using var run = SftRun.Open(basePath, tokenizerFile, options);
            var asJson = pr.GetValue(json);
            var console = SpectreConsoles.For(pr.InvocationConfiguration.Error);
            if (!asJson)
                console.MarkupLine($"[grey]{run.Parameters / 1e6:F2}M parameters{(options.Lora is null ? "" : $", LoRA rank {options.Lora.Rank}")}; output {Markup.Escape(options.OutputDirectory)}[/]");
            var report = asJson ? await run.TrainAsync(null, ct) : await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(context =>
                {
                    var task = context.AddTask("training", maxValue: 1);
                    return run.TrainAsync(new Progress<SftProgress>(p =>
                    {
                        task.MaxValue = p.TotalSteps;
                        task.Value = p.Step;
                        task.Description = string.Create(CultureInfo.InvariantCulture,
                            $"step {p.Step}/{p.TotalSteps} loss {p.TrainLoss:F3}{(p.ValidationLoss is { } v ? $" val {v:F3}" : "")} {p.TokensPerSecond:F0} tok/s");
                    }), ct);
                });
            CliOutput.Write(pr, asJson, report, output => output.Write(new Table().AddColumn("figure").AddColumn(new TableColumn("value").RightAligned())
                .AddRow("steps", $"{report.Steps} (resumed from {report.ResumedFromStep})")
                .AddRow("parameters (trainable)", $"{report.Parameters:N0} ({report.TrainableParameters:N0})")
                .AddRow("train loss first → last", string.Create(CultureInfo.InvariantCulture, $"{report.FirstTrainLoss:F4} → {report.FinalTrainLoss:F4}"))
                .AddRow("validation loss", report.FinalValidationLoss?.ToString("F4", CultureInfo.InvariantCulture) ?? "-")
                .AddRow("tokens/s", report.TokensPerSecond.ToString("F0", CultureInfo.InvariantCulture))
                .AddRow("final checkpoint", Markup.Escape(report.FinalCheckpoint))
                .AddRow("metrics / plot", Markup.Escape($"{report.MetricsCsv}, {report.LossPlot}"))));
            return CliApp.Success;
        });
        return command;
    }
}
