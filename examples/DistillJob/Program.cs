// Run:  dotnet run --project examples/DistillJob
//       dotnet run --project examples/DistillJob -- --work my-work --out my-model.gguf
//       dotnet run --project examples/DistillJob -- --recipe agents/atlas/distill.json --work distill-work/atlas --out atlas.gguf   (the real one: ~30 min)
//
// A distillation job run from an app through AgentKit.Distillation's library API, not the CLI: load a recipe,
// run it with DistillPipeline.RunAsync(recipe, options, progress, ct) and read the report. The default recipe
// (tiny/distill.json) runs every stage for real (teacher through the sandbox, SFT data, tokenizer, SFT, GGUF) on
// six questions and a one-layer student, in seconds. The work folder is resumable: a second run skips what is done.
using System.Globalization;
using AgentKit.Distillation;
using DistillJobExample;

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var recipePath = Option("--recipe") ?? Path.Combine("examples", "DistillJob", "tiny", "distill.json"); // from the repository root
var work = Path.GetFullPath(Option("--work") ?? Path.Combine("distill-work", "tiny-example"));
var output = Path.GetFullPath(Option("--out") ?? Path.Combine(work, "student.gguf"));
var threads = Option("--threads") is { } t ? int.Parse(t, CultureInfo.InvariantCulture) : (int?)null;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
try
{
    var recipe = DistillRecipeLoader.Load(recipePath);
    var options = new DistillRunOptions { WorkFolder = work, ExportPath = output, Threads = threads };
    var report = await DistillPipeline.RunAsync(recipe, options, new ConsoleProgress(), cancel.Token);

    Console.WriteLine();
    Console.WriteLine($"model: {report.Model} ({report.Gguf.Bytes} bytes, {report.Gguf.Parameters} parameters, {report.Gguf.Type})");
    Console.WriteLine($"teacher: {report.Teacher.Correct}/{report.Teacher.Runs} correct; SFT examples: {report.SftData.Examples}; tokenizer: {(report.Tokenizer is { } tokenizer ? $"{tokenizer.VocabSize} tokens" : "the checkpoint's")}");
    Console.WriteLine($"sft: {report.Sft.Steps} steps, train loss {report.Sft.FirstTrainLoss:F3} -> {report.Sft.FinalTrainLoss:F3}");
    Console.WriteLine($"stages: {string.Join(", ", report.Stages.Select(s => $"{s.Stage} {s.Status}"))}; {report.Seconds:F1} s");
    return 0;
}
catch (DistillConfigurationException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 2;
}
catch (DistillStageException ex)
{
    Console.Error.WriteLine($"error: {ex.Message} (outputs so far are kept in {work}; run again to continue)");
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine($"interrupted; run again to continue from {work}");
    return 1;
}
