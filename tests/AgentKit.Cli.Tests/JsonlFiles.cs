namespace AgentKit.Cli.Tests;

/// <summary>Reads JSONL files another process is still writing.</summary>
internal static class JsonlFiles
{
    /// <summary>Newline-terminated lines in <paramref name="path"/> so far (0 when it does not exist yet).</summary>
    public static int CompleteLines(string path)
    {
        if (!File.Exists(path))
            return 0;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var count = 0;
        for (var b = stream.ReadByte(); b >= 0; b = stream.ReadByte())
            if (b == '\n')
                count++;
        return count;
    }
}
