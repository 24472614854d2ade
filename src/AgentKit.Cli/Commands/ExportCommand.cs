// agentkit export gguf --checkpoint runs/sft/final --out model.gguf [--adapter peft-adapter-dir] [--type f32|f16|q8_0] [--json]
using System.CommandLine;
using AgentKit.Training.Export;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit export gguf</c>: writes a TorchSharp checkpoint (LoRA merged) with its tokenizer as a GGUF; with
/// <c>--adapter</c>, a PEFT LoRA adapter trained elsewhere (e.g. with TRL) is merged into it first (<see cref="CheckpointExport"/>).
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var command = new Command("export", "Export trained models.");
        command.Subcommands.Add(Gguf());
        return command;
    }

    private static Command Gguf()
    {
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "Checkpoint directory (config.json, safetensors, tokenizer.json; a LoRA adapter is merged).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Output .gguf file.", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "A PEFT LoRA adapter folder (adapter_config.json + adapter_model.safetensors) to merge before export." };
        var type = new Option<string>("--type") { Description = "Tensor type: f32, f16 or q8_0.", DefaultValueFactory = _ => "f16" };
        type.AcceptOnlyFromAmong("f32", "f16", "q8_0");
        var threads = CommonOptions.Threads();
        var json = CommonOptions.Json();
        var command = new Command("gguf", "Write a checkpoint as a GGUF file llama.cpp (and 'agentkit generate --model') can run.") { checkpoint, output, adapter, type, threads, json };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var options = CliUsageException.Check(() => new CheckpointExportOptions
            {
                Checkpoint = pr.GetValue(checkpoint)!, Output = pr.GetValue(output)!, Adapter = pr.GetValue(adapter),
                Type = GgufExportOptions.ParseType(pr.GetValue(type)!), Threads = pr.GetValue(threads) ?? Environment.ProcessorCount,
            }.Validate());
            CliOutput.Write(pr, pr.GetValue(json), CheckpointExport.Run(options), report =>
                $"wrote {report.Output}{(report.Adapter is null ? "" : $" (adapter {report.Adapter} merged)")}: {report.Architecture}, {report.Parameters:N0} parameters, {report.Type}, {report.Bytes:N0} bytes in {report.Seconds:F2} s");
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }
}
