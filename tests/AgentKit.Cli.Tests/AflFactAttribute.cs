using AgentKit.Fuzzing.Afl;

namespace AgentKit.Cli.Tests;

/// <summary>A fact that is skipped, saying why, where afl-fuzz is not installed (CI installs the Debian afl++ package).</summary>
public sealed class AflFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when afl-fuzz is not on PATH.</summary>
    public AflFactAttribute()
    {
        if (AflCampaign.FindAflFuzz() is null)
            Skip = "afl-fuzz is not on PATH: install the Debian package afl++ to run the fuzz --engine afl tests";
    }
}
