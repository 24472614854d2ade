// agentkit import gguf MODEL.gguf --out DIR [--json]
using System.CommandLine;
using AgentKit.Training.Checkpoints;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit import gguf</c>: loads a llama or qwen2 GGUF back into a TorchSharp checkpoint directory (config, float32
/// safetensors, tokenizer.json) that <c>train sft --base</c>, <c>generate --model</c> and <c>export gguf</c> read
/// (<see cref="GgufImport"/>).
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var command = new Command("import", "Import models from other formats.");
        command.Subcommands.Add(Gguf());
        return command;
    }

    private static Command Gguf()
    {
        var model = new Argument<string>("model") { Description = "The .gguf file (llama or qwen2; F32, F16, BF16 or Q8_0 tensors; byte-level BPE tokenizer)." };
        var output = new Option<string>("--out", "-o") { Description = "Checkpoint directory to write (new or empty).", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("gguf", "Load a GGUF back into a TorchSharp checkpoint for training.") { model, output, json };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var options = CliUsageException.Check(() => new GgufImportOptions { Model = pr.GetValue(model)!, Output = pr.GetValue(output)! }.Validate());
            CliOutput.Write(pr, pr.GetValue(json), GgufImport.Run(options), report =>
                $"wrote {report.Output}: {report.Architecture}, {report.Parameters:N0} parameters ({report.Layers} layers, hidden {report.HiddenSize}), " +
                $"{report.TokenizerTokens} tokens, from {report.TensorTypes} in {report.Seconds:F2} s");
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }
}
