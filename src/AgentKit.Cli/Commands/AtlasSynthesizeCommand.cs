// agentkit atlas synthesize --out DIR [--agent agents/atlas] [--countries 400] [--per-family 600] [--seed 11]
using System.CommandLine;
using AgentKit.Atlas.Data;
using AgentKit.Core.Definitions;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit atlas synthesize</c>: writes a training-only agent folder over an invented atlas
/// (<see cref="SyntheticAtlas"/>): the atlas agent's definition and prompt, a corpus of invented countries built
/// like the real one, and questions about them. <c>atlas teach --agent DIR --questions DIR/questions/train.jsonl</c>
/// then records genuine trajectories over thousands of names the student has never seen, which teaches it to act
/// on a question's wording rather than on memorised names.
/// </summary>
internal static class AtlasSynthesizeCommand
{
    private sealed record SynthesizeReport(string Out, int Countries, int Passages, int Questions, int Seed);

    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for the training-only agent (agent.json, prompt, corpus.jsonl, questions/train.jsonl).", Required = true };
        var agentOption = new Option<string>("--agent") { Description = "The atlas agent whose definition and prompt are copied.", DefaultValueFactory = _ => Path.Combine("agents", "atlas") };
        var countries = new Option<int>("--countries") { Description = "Invented countries.", DefaultValueFactory = _ => 400 };
        var perFamily = new Option<int>("--per-family") { Description = "Questions per answerable family.", DefaultValueFactory = _ => 600 };
        var seed = new Option<int>("--seed") { Description = "Seed of the invented names, facts and questions.", DefaultValueFactory = _ => 11 };
        var source = new Option<string>("--source") { Description = "Folder of the real country-json files (facts are drawn from their values; names avoid theirs).", DefaultValueFactory = _ => Path.Combine("agents", "atlas", "data", "source") };
        var json = CommonOptions.Json();
        var command = new Command("synthesize", "Write a training-only atlas agent over invented countries (teaches a student to act on wording, not on memorised names).")
            { output, agentOption, countries, perFamily, seed, source, json };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            if (pr.GetValue(countries) is < 10 or > 5_000)
                throw new CliUsageException($"--countries must be between 10 and 5000, got {pr.GetValue(countries)}.");
            if (pr.GetValue(perFamily) is < 1 or > 100_000)
                throw new CliUsageException($"--per-family must be between 1 and 100000, got {pr.GetValue(perFamily)}.");
            var agentFolder = pr.GetValue(agentOption)!;
            if (!File.Exists(Path.Combine(agentFolder, AgentDefinitionLoader.FileName)))
                throw new CliUsageException($"no {AgentDefinitionLoader.FileName} in agent folder {agentFolder}.");
            var sourceFolder = pr.GetValue(source)!;
            if (!Directory.Exists(sourceFolder))
                throw new CliUsageException($"source folder not found: {sourceFolder}");

            var folder = pr.GetValue(output)!;
            var options = new SyntheticAgentOptions { Countries = pr.GetValue(countries), PerFamily = pr.GetValue(perFamily), Seed = pr.GetValue(seed) };
            var written = SyntheticAgentWriter.Write(agentFolder, sourceFolder, folder, options);
            var report = new SynthesizeReport(Path.GetFullPath(folder), written.Countries, written.Passages, written.Questions, options.Seed);
            CliOutput.Write(pr, pr.GetValue(json), report, r => $"wrote {r.Out}: {r.Countries:N0} invented countries, {r.Passages:N0} passages, {r.Questions:N0} questions (seed {r.Seed})");
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }
}
