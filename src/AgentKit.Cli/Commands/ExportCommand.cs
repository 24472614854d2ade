// agentkit export gguf --checkpoint runs/sft/final --out model.gguf [--adapter peft-adapter-dir] [--type f32|f16|q8_0] [--json]
using System.CommandLine;
using System.Diagnostics;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Export;
using AgentKit.Training.Tokenization;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit export gguf</c>: writes a TorchSharp checkpoint (LoRA merged) with its tokenizer as a GGUF; with
/// <c>--adapter</c>, a PEFT LoRA adapter trained elsewhere (e.g. with TRL) is merged into it first (<see cref="PeftAdapter"/>).
/// </summary>
internal static class ExportCommand
{
    private sealed record ExportReport(string Checkpoint, string? Adapter, string Output, string Type, string Architecture, long Parameters, long Bytes, double Seconds);

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
            var directory = pr.GetValue(checkpoint)!;
            if (!CheckpointIO.IsCheckpoint(directory))
                throw new CliUsageException($"'{directory}' is not a checkpoint directory (config.json + model.safetensors).");
            var tokenizerPath = Path.Combine(directory, TokenizerLoader.FileName);
            if (!File.Exists(tokenizerPath))
                throw new CliUsageException($"'{directory}' has no {TokenizerLoader.FileName}; the GGUF needs the tokenizer.");
            var adapterDirectory = pr.GetValue(adapter);
            if (adapterDirectory is not null && !File.Exists(Path.Combine(adapterDirectory, CheckpointFiles.AdapterConfig)))
                throw new CliUsageException($"'{adapterDirectory}' is not a PEFT adapter folder (no {CheckpointFiles.AdapterConfig}).");
            var exportType = GgufExportOptions.ParseType(pr.GetValue(type)!);
            var path = pr.GetValue(output)!;
            var started = Stopwatch.StartNew();
            using var model = CheckpointIO.Load(directory);
            if (model.HasLora)
                model.MergeLora();
            if (adapterDirectory is not null)
            {
                PeftAdapter.Load(model, adapterDirectory);
                model.MergeLora();
            }
            var tokenizer = ByteLevelBpeTokenizer.Load(tokenizerPath);
            var preTokenizer = GgufExportOptions.PreTokenizerFor(tokenizerPath, model.Config.ModelType);
            GgufExporter.Export(model, tokenizer, path, new GgufExportOptions
            {
                Type = exportType, PreTokenizer = preTokenizer, Threads = pr.GetValue(threads) ?? Environment.ProcessorCount,
            });
            var report = new ExportReport(directory, adapterDirectory, path, pr.GetValue(type)!, model.Config.ModelType, model.Config.ParameterCount(), new FileInfo(path).Length,
                Math.Round(started.Elapsed.TotalSeconds, 3));
            if (pr.GetValue(json))
                JsonOutput.Write(pr.InvocationConfiguration.Output, report);
            else
                pr.InvocationConfiguration.Output.WriteLine($"wrote {path}{(adapterDirectory is null ? "" : $" (adapter {adapterDirectory} merged)")}: {report.Architecture}, {report.Parameters:N0} parameters, {report.Type}, {report.Bytes:N0} bytes in {report.Seconds:F2} s");
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }
}
