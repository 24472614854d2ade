using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Checkpoints;

/// <summary>
/// Writes a training checkpoint beside its target and swaps it in, so an interruption never leaves a half-written
/// checkpoint where a resume would look (SFT and GRPO alike).
/// </summary>
internal static class StagedCheckpoint
{
    /// <summary>
    /// Saves <paramref name="model"/> and its tokenizer (the trained BPE, else a copy of <paramref name="tokenizerFile"/>)
    /// into a staging folder, lets <paramref name="writeTrainerFiles"/> add the trainer's own files there, then replaces
    /// <paramref name="directory"/> with it.
    /// </summary>
    public static void Save(LlamaForCausalLM model, string directory, ITextTokenizer? tokenizer, string? tokenizerFile, Action<string> writeTrainerFiles)
    {
        var staging = directory + ".staging";
        if (Directory.Exists(staging))
            Directory.Delete(staging, recursive: true);
        CheckpointIO.Save(model, staging);
        if (tokenizer is ByteLevelBpeTokenizer bpe)
            bpe.Save(Path.Combine(staging, TokenizerLoader.FileName));
        else if (tokenizerFile is not null)
            File.Copy(tokenizerFile, Path.Combine(staging, TokenizerLoader.FileName));
        // An HF base's tokenizer_config.json / chat_template.jinja (its chat template, special tokens) stay with the tokenizer.
        if (tokenizerFile is not null && Path.GetDirectoryName(Path.GetFullPath(tokenizerFile)) is { } tokenizerDirectory)
            ChatTemplateFile.CopyCompanions(tokenizerDirectory, staging);
        writeTrainerFiles(staging);
        var old = directory + ".old";
        if (Directory.Exists(old))
            Directory.Delete(old, recursive: true);
        if (Directory.Exists(directory))
            Directory.Move(directory, old);
        Directory.Move(staging, directory);
        if (Directory.Exists(old))
            Directory.Delete(old, recursive: true);
    }
}
