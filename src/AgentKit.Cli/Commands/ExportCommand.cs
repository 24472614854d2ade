// agentkit export gguf --checkpoint runs/sft/final --out model.gguf [--adapter peft-adapter-dir] [--type f32|f16|q8_0] [--json]
// agentkit export hf --checkpoint runs/sft/final --out hf/student [--merge] [--dtype f32|bf16|f16] [--adapter DIR] [--max-shard-size 5GB] [--json]
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
        command.Subcommands.Add(Hf());
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

    private static Command Hf()
    {
        var checkpoint = new Option<string>("--checkpoint", "-c") { Description = "Checkpoint directory (config.json, safetensors, tokenizer.json; its LoRA adapter is kept or merged).", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Output folder (new or empty).", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "A PEFT LoRA adapter folder to attach (the checkpoint's own adapter is merged first)." };
        var merge = new Option<bool>("--merge") { Description = "Fold LoRA into the weights (default: base weights plus a PEFT adapter in OUT/adapter)." };
        var dtype = new Option<string>("--dtype") { Description = "Tensor type: f32 (bit-exact), bf16 or f16.", DefaultValueFactory = _ => "f32" };
        dtype.AcceptOnlyFromAmong("f32", "bf16", "f16");
        var shard = new Option<string>("--max-shard-size") { Description = "Largest weights file before sharding, e.g. 5GB, 500MB (HF's default 5GB).", DefaultValueFactory = _ => "5GB" };
        var json = CommonOptions.Json();
        var command = new Command("hf", "Write a checkpoint as a Hugging Face folder (transformers + PEFT) with its tokenizer and chat template.") { checkpoint, output, adapter, merge, dtype, shard, json };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var maxShard = ParseSize(pr.GetValue(shard)!) ?? throw new CliUsageException($"--max-shard-size must be a size like 5GB or 500MB, got '{pr.GetValue(shard)}'.");
            var options = CliUsageException.Check(() => new HfExportOptions
            {
                Checkpoint = pr.GetValue(checkpoint)!, Output = pr.GetValue(output)!, Adapter = pr.GetValue(adapter), Merge = pr.GetValue(merge),
                DType = HfExportOptions.ParseDType(pr.GetValue(dtype)!), MaxShardBytes = maxShard,
            }.Validate());
            CliOutput.Write(pr, pr.GetValue(json), HfExport.Run(options), report =>
                $"wrote {report.Output}{(report.AdapterOutput is null ? "" : $" and the PEFT adapter {report.AdapterOutput}")}: {report.Architecture}, {report.Parameters:N0} parameters, {report.Type}, {report.Shards} weight file(s), {report.Bytes:N0} bytes in {report.Seconds:F2} s");
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    // HF's notation: decimal units (5GB = 5e9 bytes), as transformers' max_shard_size.
    private static long? ParseSize(string text)
    {
        var units = new (string Suffix, long Factor)[] { ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000), ("B", 1) };
        foreach (var (suffix, factor) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0)
                return (long)(value * factor);
        }
        return long.TryParse(text, out var bytes) && bytes > 0 ? bytes : null;
    }
}
