// agentkit model create-random --out tiny.gguf [--layers 2 --embedding 64 --heads 4 --kv-heads 2 --ffn 128 --context 2048 --seed 0 --f16]
// agentkit model info tiny.gguf [--json]
using System.CommandLine;
using AgentKit.Models;
using AgentKit.Models.Gguf;
using Spectre.Console;

namespace AgentKit.Cli.Commands;

/// <summary><c>agentkit model</c>: make random test models and inspect GGUF files.</summary>
internal static class ModelCommand
{
    private sealed record CreateReport(string Path, long Parameters, long FileBytes, int Layers, int Embedding, int Heads, int KvHeads, int FeedForward, int ContextLength, bool F16);

    public static Command Create()
    {
        var command = new Command("model", "Create random test models and inspect GGUF files.");
        command.Subcommands.Add(CreateRandom());
        command.Subcommands.Add(Info());
        return command;
    }

    private static Command CreateRandom()
    {
        var defaults = new RandomLlamaOptions();
        var output = new Option<string>("--out", "-o") { Description = "Path of the GGUF file to write.", Required = true };
        var layers = new Option<int>("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => defaults.Layers };
        var embedding = new Option<int>("--embedding") { Description = "Hidden size.", DefaultValueFactory = _ => defaults.Embedding };
        var heads = new Option<int>("--heads") { Description = "Attention heads.", DefaultValueFactory = _ => defaults.Heads };
        var kvHeads = new Option<int>("--kv-heads") { Description = "Key/value heads (grouped-query attention).", DefaultValueFactory = _ => defaults.KvHeads };
        var ffn = new Option<int>("--ffn") { Description = "Feed-forward hidden size.", DefaultValueFactory = _ => defaults.FeedForward };
        var context = new Option<int>("--context") { Description = "Context length recorded in the file.", DefaultValueFactory = _ => defaults.ContextLength };
        var seed = new Option<int>("--seed") { Description = "Seed of the random weights.", DefaultValueFactory = _ => 0 };
        var f16 = new Option<bool>("--f16") { Description = "Store matrices as f16 (half the size)." };
        var noTemplate = new Option<bool>("--no-chat-template") { Description = "Do not store the ChatML chat template." };
        var json = CommonOptions.Json();
        var command = new Command("create-random", "Write a llama GGUF with random weights and a byte-level tokenizer (for tests and benchmarks).")
        {
            output, layers, embedding, heads, kvHeads, ffn, context, seed, f16, noTemplate, json,
        };

        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var options = CliUsageException.Check(() => new RandomLlamaOptions
            {
                Layers = pr.GetValue(layers), Embedding = pr.GetValue(embedding), Heads = pr.GetValue(heads), KvHeads = pr.GetValue(kvHeads),
                FeedForward = pr.GetValue(ffn), ContextLength = pr.GetValue(context), Seed = pr.GetValue(seed), F16 = pr.GetValue(f16),
                ChatTemplate = pr.GetValue(noTemplate) ? null : RandomLlamaModel.ChatMLTemplate,
            }.Validate(), message => message.Replace("Layers", "--layers").Replace("KvHeads", "--kv-heads").Replace("Heads", "--heads")
                .Replace("Embedding", "--embedding").Replace("FeedForward", "--ffn").Replace("ContextLength", "--context"));
            var path = pr.GetValue(output)!;
            RandomLlamaModel.Write(path, options);
            var report = new CreateReport(Path.GetFullPath(path), options.ParameterCount, new FileInfo(path).Length, options.Layers, options.Embedding,
                options.Heads, options.KvHeads, options.FeedForward, options.ContextLength, options.F16);
            CliOutput.Write(pr, pr.GetValue(json), report, r => $"Wrote {r.Path}: llama, {r.Layers} layers x {r.Embedding}, {r.Parameters:N0} parameters, " +
                                                               $"{CliOutput.Bytes(r.FileBytes)} ({(r.F16 ? "f16" : "f32")}).");
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static Command Info()
    {
        var path = new Argument<string>("path") { Description = "GGUF file to inspect." };
        var json = CommonOptions.Json();
        var command = new Command("info", "Print a GGUF file's architecture, sizes, tensors and metadata (reads the header only).") { path, json };

        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            GgufInfo report;
            try
            {
                report = GgufInfo.Read(pr.GetValue(path)!);
            }
            catch (ModelLoadException ex) when (ex.Failure == ModelLoadFailure.FileNotFound)
            {
                throw new CliUsageException(ex.Message);
            }
            // Any other ModelLoadException is failed work (exit 1) with the reader's message.
            CliOutput.Write(pr, pr.GetValue(json), report, console => WriteHuman(console, report));
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static void WriteHuman(IAnsiConsole console, GgufInfo report)
    {
        var summary = new Grid().AddColumn().AddColumn();
        void Row(string name, object? value)
        {
            if (value is not null)
                summary.AddRow($"[grey]{name}[/]", Markup.Escape(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
        }
        Row("file", report.Path);
        Row("gguf version", report.Version);
        Row("architecture", report.Architecture is null ? "(none)" : report.ArchitectureSupported ? report.Architecture : report.Architecture + " (not supported by the bundled llama.cpp)");
        Row("name", report.Name);
        Row("parameters", $"{report.Parameters:N0}");
        Row("file size", CliOutput.Bytes(report.FileBytes));
        Row("layers", report.BlockCount);
        Row("embedding", report.EmbeddingLength);
        Row("feed-forward", report.FeedForwardLength);
        Row("heads / kv heads", report.HeadCount is null ? null : $"{report.HeadCount} / {report.HeadCountKv}");
        Row("context length", report.ContextLength);
        Row("tokenizer", report.Tokenizer is null ? null : $"{report.Tokenizer}, {report.VocabSize} tokens{(report.HasChatTemplate ? ", chat template" : "")}");
        Row("tensors", $"{report.TensorCount} ({string.Join(", ", report.TensorTypes.Select(kv => $"{kv.Value} {kv.Key}"))})");
        console.Write(summary);

        var table = new Table().AddColumn("metadata key").AddColumn("value");
        foreach (var (key, value) in report.Metadata)
            table.AddRow(Markup.Escape(key), Markup.Escape(value.ReplaceLineEndings(" ")));
        console.Write(table);
    }
}
