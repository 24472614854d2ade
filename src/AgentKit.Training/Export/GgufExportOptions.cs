namespace AgentKit.Training.Export;

/// <summary>Storage type of an exported GGUF.</summary>
public enum GgufExportType
{
    /// <summary>32-bit floats.</summary>
    F32,
    /// <summary>16-bit floats for matrices (norms and biases stay f32, as llama.cpp's converter does).</summary>
    F16,
    /// <summary>8-bit blocks, produced from an f16 export by llama.cpp's quantizer.</summary>
    Q8_0,
}

/// <summary>Settings of <see cref="GgufExporter"/>.</summary>
public sealed record GgufExportOptions
{
    /// <summary>Tensor storage (default f16).</summary>
    public GgufExportType Type { get; init; } = GgufExportType.F16;

    /// <summary><c>general.name</c> (default: the output file name without extension).</summary>
    public string? Name { get; init; }

    /// <summary>
    /// <c>tokenizer.ggml.pre</c>, the pre-tokenizer llama.cpp applies (default <c>gpt-2</c>, the one
    /// <see cref="Tokenization.ByteLevelBpeTokenizer"/> implements).
    /// </summary>
    public string PreTokenizer { get; init; } = "gpt-2";

    /// <summary>Threads for the q8_0 quantizer (default: all cores).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The storage type named <c>f32</c>, <c>f16</c> or <c>q8_0</c>.</summary>
    /// <exception cref="ArgumentException">Any other name.</exception>
    public static GgufExportType ParseType(string name) => name switch
    {
        "f32" => GgufExportType.F32,
        "f16" => GgufExportType.F16,
        "q8_0" => GgufExportType.Q8_0,
        _ => throw new ArgumentException($"GGUF type must be f32, f16 or q8_0, got '{name}'.", nameof(name)),
    };

    /// <summary>
    /// <c>tokenizer.chat_template</c>: the checkpoint's own template (<see cref="Tokenization.ChatTemplateFile"/>); null
    /// writes the ChatML template <see cref="Tokenization.ChatFormat"/> renders when the tokenizer has its tokens.
    /// </summary>
    public string? ChatTemplate { get; init; }

    /// <summary>
    /// The <see cref="PreTokenizer"/> for a checkpoint's <c>tokenizer.json</c>: <c>gpt-2</c> for a byte-level one
    /// (what <see cref="Tokenization.ByteLevelBpeTokenizer"/> implements), <c>qwen2</c> or <c>llama-bpe</c> for those
    /// models' split regexes (<see cref="Tokenization.HfPreTokenizer.LlamaCppName"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">A split llama.cpp has no name for.</exception>
    public static string PreTokenizerFor(string tokenizerJsonPath) =>
        Tokenization.HfPreTokenizer.LlamaCppName(Tokenization.TokenizerJson.ReadRoot(tokenizerJsonPath)["pre_tokenizer"]);
}
