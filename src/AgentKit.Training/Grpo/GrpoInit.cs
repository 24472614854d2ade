using AgentKit.Training.Checkpoints;
using AgentKit.Training.Model;
using AgentKit.Training.Tokenization;

namespace AgentKit.Training.Grpo;

/// <summary>
/// The starting model of a <see cref="GrpoRun"/>, always as a checkpoint directory: given one, it is read in place; given
/// a GGUF, it is imported once into <c>OUT/init</c> (<see cref="GgufImport"/>) so that the KL reference, the recorded
/// base and a resume all name the same files (a resumed run reads that import rather than importing again).
/// </summary>
internal sealed record GrpoInit(string Checkpoint, string? ImportedFrom)
{
    /// <summary>Folder of a GGUF's import inside the output directory.</summary>
    public const string ImportFolder = "init";

    /// <summary>Resolves <paramref name="init"/> to a checkpoint directory, importing a GGUF into <paramref name="outputDirectory"/>.</summary>
    /// <exception cref="FileNotFoundException">It is neither a checkpoint directory nor a file, or the checkpoint has no tokenizer.</exception>
    public static GrpoInit Resolve(string init, string outputDirectory)
    {
        if (CheckpointIO.IsCheckpoint(init))
        {
            var tokenizer = Path.Combine(init, TokenizerLoader.FileName);
            if (!File.Exists(tokenizer))
                throw new FileNotFoundException($"the init checkpoint '{init}' has no {TokenizerLoader.FileName} (GRPO samples from the model, so it needs the tokenizer beside it).", tokenizer);
            return new GrpoInit(Path.GetFullPath(init), null);
        }
        if (!File.Exists(init))
            throw new FileNotFoundException($"the init model must be a checkpoint directory (config.json + safetensors) or a .gguf file; '{init}' is neither.", init);
        var imported = Path.GetFullPath(Path.Combine(outputDirectory, ImportFolder));
        if (!CheckpointIO.IsCheckpoint(imported))
            GgufImport.Run(new GgufImportOptions { Model = init, Output = imported }.Validate());
        return new GrpoInit(imported, Path.GetFullPath(init));
    }

    /// <summary>Loads the model and its tokenizer.</summary>
    public (LlamaForCausalLM Model, ITextTokenizer Tokenizer) Load()
    {
        var tokenizer = TokenizerLoader.Load(Checkpoint);
        return (CheckpointIO.Load(Checkpoint), tokenizer);
    }

    /// <summary>The checkpoint's tokenizer.json (copied into the run's checkpoints when the tokenizer cannot save itself).</summary>
    public string TokenizerFile => Path.Combine(Checkpoint, TokenizerLoader.FileName);
}
