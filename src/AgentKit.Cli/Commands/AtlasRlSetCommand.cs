// agentkit atlas rl-set --out DIR [--agent agents/atlas] [--focus comparison] [--others 80] [--countries 200] [--per-family 100] [--seed 23]
using System.CommandLine;
using System.Globalization;
using AgentKit.Atlas.Data;
using AgentKit.Core.Definitions;

namespace AgentKit.Cli.Commands;

/// <summary>
/// <c>agentkit atlas rl-set</c>: writes the agent folder GRPO trains the atlas agent in (<see cref="AtlasRlSetWriter"/>):
/// the atlas agent's definition and prompt without a model, the real corpus followed by an invented atlas, and
/// <c>questions/rl.jsonl</c> (all focus-family questions plus a spread of the others, real and invented).
/// <c>train grpo --agent DIR --tasks DIR/questions/rl.jsonl --reward atlas</c> trains on it.
/// </summary>
internal static class AtlasRlSetCommand
{
    private sealed record RlSetReport(string Out, string Questions, int Total, IReadOnlyList<AtlasRlSetCount> Families,
        int RealPassages, int InventedPassages, int InventedCountries, int Seed);

    // The library names its settings; the user typed flags.
    private static readonly (string Setting, string Flag)[] s_flags =
        [("Countries", "--countries"), ("PerFamily", "--per-family"), ("Others", "--others"), ("Focus", "--focus")];

    public static Command Create()
    {
        var defaults = new AtlasRlSetOptions();
        var output = new Option<string>("--out") { Description = "Folder for the GRPO agent (agent.json, prompt, corpus.jsonl, questions/rl.jsonl; no model).", Required = true };
        var agentOption = new Option<string>("--agent") { Description = "The atlas agent: its definition, prompt, corpus and questions/rephrased.jsonl.", DefaultValueFactory = _ => Path.Combine("agents", "atlas") };
        var source = new Option<string>("--source") { Description = "Folder of the real country-json files the invented atlas draws its facts from.", DefaultValueFactory = _ => Path.Combine("agents", "atlas", "data", "source") };
        var countries = new Option<int>("--countries") { Description = "Invented countries added to the real ones.", DefaultValueFactory = _ => defaults.Countries };
        var seed = new Option<int>("--seed") { Description = "Seed of the invented atlas, its questions, the choice of the others and the order.", DefaultValueFactory = _ => defaults.Seed };
        var perFamily = new Option<int>("--per-family") { Description = "Questions per family generated over the invented atlas.", DefaultValueFactory = _ => defaults.PerFamily };
        var focus = new Option<string>("--focus") { Description = "Comma list of families whose every question is taken (lookup, bridge, comparison, arithmetic, set).", DefaultValueFactory = _ => string.Join(',', defaults.Focus) };
        var others = new Option<int>("--others") { Description = "Real questions of the other families (as many invented ones are added).", DefaultValueFactory = _ => defaults.Others };
        var json = CommonOptions.Json();
        var command = new Command("rl-set", "Write the GRPO agent folder over the real and an invented atlas (train grpo --reward atlas grades its questions).")
            { output, agentOption, source, countries, seed, perFamily, focus, others, json };
        command.SetAction((ParseResult pr, CancellationToken ct) =>
        {
            var options = CliUsageException.Check(() => new AtlasRlSetOptions
            {
                Countries = pr.GetValue(countries), Seed = pr.GetValue(seed), PerFamily = pr.GetValue(perFamily), Others = pr.GetValue(others),
                Focus = pr.GetValue(focus)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries),
            }.Validate(), FlagOf);
            var agentFolder = pr.GetValue(agentOption)!;
            if (!File.Exists(Path.Combine(agentFolder, AgentDefinitionLoader.FileName)))
                throw new CliUsageException($"--agent: no {AgentDefinitionLoader.FileName} in agent folder {agentFolder}.");
            if (!File.Exists(Path.Combine(agentFolder, AtlasRlSetWriter.RealQuestionsFile)))
                throw new CliUsageException($"--agent: no {AtlasRlSetWriter.RealQuestionsFile} in agent folder {agentFolder} (write it with 'agentkit atlas questions').");
            var sourceFolder = pr.GetValue(source)!;
            if (!Directory.Exists(sourceFolder))
                throw new CliUsageException($"--source: source folder not found: {sourceFolder}");

            var folder = pr.GetValue(output)!;
            var written = AtlasRlSetWriter.Write(agentFolder, sourceFolder, folder, options);
            var report = new RlSetReport(Path.GetFullPath(folder), Path.GetFullPath(Path.Combine(folder, AtlasRlSetWriter.QuestionsFile)), written.Questions,
                written.Families, written.RealPassages, written.InventedPassages, written.InventedCountries, options.Seed);
            CliOutput.Write(pr, pr.GetValue(json), report, Line);
            return Task.FromResult(CliApp.Success);
        });
        return command;
    }

    private static string FlagOf(string message)
    {
        foreach (var (setting, flag) in s_flags)
        {
            if (message.StartsWith(setting, StringComparison.Ordinal))
                return flag + message[setting.Length..];
        }
        return message;
    }

    private static string Line(RlSetReport r)
    {
        var families = string.Join(", ", r.Families.Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Family} {f.Real}+{f.Invented}")));
        var passages = string.Create(CultureInfo.InvariantCulture,
            $"passages {r.RealPassages:N0} real + {r.InventedPassages:N0} invented ({r.InventedCountries:N0} countries, seed {r.Seed})");
        return string.Create(CultureInfo.InvariantCulture,
            $"wrote {r.Out}: {r.Total:N0} questions (real+invented: {families}), {passages}; train grpo --reward atlas grades questions/rl.jsonl");
    }
}
