// agentkit train interpolate --base SFT --tuned RL --weight W --out DIR [--json]
using System.CommandLine;
using AgentKit.Training.Checkpoints;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit train interpolate</c>: writes the checkpoint (1 − w)·base + w·tuned (<see cref="CheckpointInterpolation"/>),
/// e.g. between an SFT model and the GRPO run that started from it.
/// </summary>
internal static class TrainInterpolateCommand
{
    public static Command Create()
    {
        var baseModel = new Option<string>("--base") { Description = "The starting checkpoint (weight 0), e.g. a GRPO run's init folder; its tokenizer is copied.", Required = true };
        var tuned = new Option<string>("--tuned") { Description = "The fine-tuned checkpoint (weight 1) of the same model and tokenizer.", Required = true };
        var weight = new Option<double>("--weight", "-w") { Description = "Share of --tuned in every weight, 0 to 1; choose it on a validation set.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Checkpoint directory to write (new or empty).", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("interpolate", "Mix two checkpoints of one model weight by weight (WiSE-FT): keep a fine-tuning's gain and the base's breadth.")
        {
            baseModel, tuned, weight, output, json,
        };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var options = CliUsageException.CheckWith(() => new CheckpointInterpolationOptions
            {
                Base = pr.GetValue(baseModel)!, Tuned = pr.GetValue(tuned)!, Weight = pr.GetValue(weight), Output = pr.GetValue(output)!,
            }.Validate(), e => $"{e.ParamName switch { "Weight" => "--weight", "Base" => "--base", "Tuned" => "--tuned", _ => "--out" }}: {CliUsageException.MessageOf(e)}");
            CliOutput.Write(pr, pr.GetValue(json), CheckpointInterpolation.Run(options), report =>
                $"wrote {report.Output}: {report.Parameters:N0} parameters, {1 - report.Weight:0.###} × base + {report.Weight:0.###} × tuned "
                + $"(the two are {report.Distance:F3} apart, L2) in {report.Seconds:F2} s");
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }
}
