namespace AgentKit.Models.Gguf;

/// <summary>
/// Checks a GGUF model file before it reaches native code: llama.cpp aborts the process on some malformed
/// files, so everything that can be checked from the header is checked here first.
/// </summary>
public static class GgufModelValidator
{
    /// <summary>
    /// Architectures the llama.cpp bundled with LLamaSharp 0.30.0 can load (its <c>LLM_ARCH_NAMES</c> table;
    /// Mistral 7B-style models use <c>llama</c>, newer Mistral models <c>mistral3</c>).
    /// </summary>
    public static IReadOnlySet<string> SupportedArchitectures { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "llama", "llama4", "deci", "falcon", "grok", "gpt2", "gptj", "gptneox", "mpt", "baichuan", "starcoder", "refact",
        "bert", "modern-bert", "nomic-bert", "nomic-bert-moe", "neo-bert", "jina-bert-v2", "jina-bert-v3", "eurobert",
        "bloom", "stablelm", "qwen", "qwen2", "qwen2moe", "qwen2vl", "qwen3", "qwen3moe", "qwen3next", "qwen3vl",
        "qwen3vlmoe", "qwen35", "qwen35moe", "phi2", "phi3", "phimoe", "plamo", "plamo2", "plamo3", "codeshell", "orion",
        "internlm2", "minicpm", "minicpm3", "gemma", "gemma2", "gemma3", "gemma3n", "gemma4", "gemma-embedding",
        "starcoder2", "mamba", "mamba2", "jamba", "falcon-h1", "xverse", "command-r", "cohere2", "cohere2moe", "dbrx",
        "olmo", "olmo2", "olmoe", "openelm", "arctic", "deepseek", "deepseek2", "chatglm", "glm4", "glm4moe", "bitnet",
        "t5", "t5encoder", "jais", "nemotron", "nemotron_h", "exaone", "exaone4", "rwkv6", "rwkv6qwen2", "rwkv7",
        "arwkv7", "granite", "granitemoe", "granitehybrid", "chameleon", "plm", "bailingmoe", "bailingmoe2", "dots1",
        "arcee", "ernie4_5", "ernie4_5-moe", "hunyuan-moe", "hunyuan-dense", "smollm3", "gpt-oss", "lfm2", "lfm2moe",
        "dream", "smallthinker", "llada", "llada-moe", "seed_oss", "grovemoe", "apertus", "minimax-m2", "cogvlm",
        "pangu-embedded", "mistral3", "mistral4",
    };

    /// <summary>
    /// Reads and checks the header of the model at <paramref name="path"/> without loading tensor data: it exists, is
    /// GGUF v2/v3 with every tensor inside the file, <c>general.architecture</c> names a supported architecture, and
    /// the hyperparameters, tokenizer arrays and tensors agree with each other (see <see cref="Check"/>).
    /// </summary>
    /// <exception cref="ModelLoadException">With a one-line message that says what is wrong with the file.</exception>
    public static GgufFile Validate(string path) => Check(GgufReader.Read(path), path);

    /// <summary>Validates a GGUF held in a seekable stream; <paramref name="name"/> is used in error messages.</summary>
    /// <exception cref="ModelLoadException">With a one-line message that says what is wrong with the file.</exception>
    public static GgufFile Validate(Stream stream, string name) => Check(GgufReader.Read(stream, name), name);

    /// <summary>
    /// Checks an already-read header for what would make llama.cpp refuse the file or abort the process:
    /// hyperparameters out of range (layers, experts, widths, non-finite or negative epsilons), tokenizer arrays of
    /// the wrong length or type, duplicate token texts, special token ids outside the vocabulary, tensor types ggml
    /// cannot compute with, blocks missing or beyond <c>block_count</c>, and for the llama family
    /// (<c>llama</c>, <c>qwen2</c>, <c>qwen3</c>) the shape of every tensor against the hyperparameters.
    /// </summary>
    /// <exception cref="ModelLoadException">With a one-line message that says what is wrong with the file.</exception>
    public static GgufFile Check(GgufFile file, string name)
    {
        ArgumentNullException.ThrowIfNull(file);
        var architecture = file.Architecture;
        if (architecture is null)
            throw new ModelLoadException(ModelLoadFailure.UnsupportedArchitecture, name,
                $"Model file '{name}' has no 'general.architecture' string, so it is not a model llama.cpp can load.");
        if (!SupportedArchitectures.Contains(architecture))
            throw new ModelLoadException(ModelLoadFailure.UnsupportedArchitecture, name,
                $"Model file '{name}' has architecture '{architecture}', which the bundled llama.cpp does not support " +
                "(supported include llama, mistral3, qwen2, qwen3, phi3, gemma, gemma3 and others; see GgufModelValidator.SupportedArchitectures).");
        if (file.Tensors.Count == 0)
            throw new ModelLoadException(ModelLoadFailure.Corrupt, name, $"Model file '{name}' contains no tensors (a vocabulary-only file?).");

        var check = new ModelFileCheck(file, name);
        var vocabulary = TokenizerRules.Check(check);
        var hyperparameters = ModelHyperparameters.Read(check);
        TensorRules.Check(check, hyperparameters, vocabulary);
        if (LlamaLayoutRules.Architectures.Contains(architecture))
            LlamaLayoutRules.Check(check, hyperparameters, vocabulary);
        return file;
    }
}
