using System.Security.Cryptography;
using System.Text;
using AgentKit.Training.Checkpoints;
using AgentKit.Training.Export;

namespace AgentKit.Cli.Hosting;

/// <summary>
/// Lets the agent commands take a training checkpoint directory as <c>--model</c>: it is exported once to an f16 GGUF in
/// a cache folder (keyed by the checkpoint's files, their sizes and times, so a checkpoint rewritten in place is exported
/// again) and that file is what LLamaSharp loads. Evaluating the checkpoints a GRPO run keeps is then one command each.
/// The cache is in the temp folder and nothing else reads it: deleting it only costs the next command an export.
/// </summary>
internal static class CheckpointModel
{
    /// <summary>Where the exports are cached.</summary>
    public static string CacheDirectory => Path.Combine(Path.GetTempPath(), "agentkit-checkpoint-gguf");

    /// <summary>
    /// <paramref name="modelPath"/> itself when it is not a directory (a GGUF, or null); the cached GGUF of a checkpoint
    /// directory, exported first when the cache lacks it.
    /// </summary>
    /// <exception cref="CliUsageException">A directory that is not a checkpoint with its tokenizer.</exception>
    public static string? Resolve(string? modelPath)
    {
        if (modelPath is null || !Directory.Exists(modelPath))
            return modelPath;
        if (!CheckpointIO.IsCheckpoint(modelPath))
            throw new CliUsageException($"--model: '{modelPath}' is a folder but not a training checkpoint (config.json and model.safetensors); give a .gguf file or a checkpoint.");
        var options = CliUsageException.Check(() => new CheckpointExportOptions { Checkpoint = modelPath, Output = CachedPath(modelPath) }.Validate(),
            message => $"--model: {message}");
        if (File.Exists(options.Output))
            return options.Output;
        Directory.CreateDirectory(CacheDirectory);
        // Written aside and moved in: a concurrent command or an interruption never sees half a file.
        var staging = options.Output + "." + Guid.NewGuid().ToString("N")[..8] + ".partial";
        try
        {
            CheckpointExport.Run(options with { Output = staging });
            File.Move(staging, options.Output, overwrite: true);
        }
        finally
        {
            File.Delete(staging);
        }
        return options.Output;
    }

    /// <summary>The cache file for <paramref name="checkpoint"/>: a hash of its full path and of every file's name, size and write time.</summary>
    internal static string CachedPath(string checkpoint)
    {
        var root = Path.GetFullPath(checkpoint);
        var key = new StringBuilder(root);
        foreach (var file in new DirectoryInfo(root).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
            key.Append('\n').Append(file.Name).Append('|').Append(file.Length).Append('|').Append(file.LastWriteTimeUtc.Ticks);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..20];
        return Path.Combine(CacheDirectory, $"{Path.GetFileName(root)}-{hash}.gguf");
    }
}
