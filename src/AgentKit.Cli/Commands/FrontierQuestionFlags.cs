using System.CommandLine;
using AgentKit.Fuzzing.Guidance;

namespace AgentKit.Cli.Commands;

/// <summary>
/// The flags every command that builds frontier questions from a campaign shares (<c>fuzz questions</c>,
/// <c>fuzz hindsight</c>): the campaign folder, the slice's token budget and caller depth, and their checks.
/// </summary>
internal sealed class FrontierQuestionFlags
{
    /// <summary>The campaign folder.</summary>
    public Option<string> Campaign { get; } = new("--campaign") { Description = "Campaign directory (its target.json and corpus/).", Required = true };

    /// <summary>The slice budget.</summary>
    public Option<int> Tokens { get; } = new("--tokens") { Description = "Budget of one code slice in tokens (about 4 characters each).", DefaultValueFactory = _ => 1200 };

    /// <summary>Callers added as context.</summary>
    public Option<int> CallerDepth { get; } = new("--caller-depth") { Description = "Levels of callers added to a slice as context.", DefaultValueFactory = _ => 1 };

    /// <summary>Question options from the parsed flags, with <paramref name="max"/> as the most questions.</summary>
    public FrontierQuestionOptions Options(ParseResult parsed, Option<int> max) => new()
    {
        Max = AtLeast(parsed.GetValue(max), 1, "--max"),
        TokenBudget = AtLeast(parsed.GetValue(Tokens), 50, "--tokens"),
        CallerDepth = AtLeast(parsed.GetValue(CallerDepth), 0, "--caller-depth"),
    };

    /// <summary>The campaign folder, refused unless it holds a <c>target.json</c>.</summary>
    public string CampaignDirectory(ParseResult parsed) => CheckedCampaign(parsed.GetValue(Campaign)!);

    /// <summary>The several campaign folders of <paramref name="option"/> (a repeated <c>--campaign</c>), each checked as <see cref="CampaignDirectory"/> does.</summary>
    public static IReadOnlyList<string> CampaignDirectories(ParseResult parsed, Option<string[]> option) =>
        (parsed.GetValue(option) ?? []).Select(CheckedCampaign).ToList();

    private static string CheckedCampaign(string dir)
    {
        if (!File.Exists(Path.Combine(dir, "target.json")))
            throw new CliUsageException($"--campaign {dir} is not a campaign directory (no target.json): run agentkit fuzz --out {dir} first.");
        return dir;
    }

    private static int AtLeast(int value, int min, string flag) =>
        value >= min ? value : throw new CliUsageException($"{flag} must be at least {min}, got {value}.");
}
