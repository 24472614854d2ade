namespace AgentKit.Training.Tokenization;

/// <summary>
/// The ChatML chat format used by the trainer and written into exported GGUFs
/// (<c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c>, as Qwen2 uses).
/// </summary>
public static class ChatFormat
{
    /// <summary>Starts a message; followed by the role and a newline.</summary>
    public const string ImStart = "<|im_start|>";

    /// <summary>Ends a message; generation of an assistant turn stops here.</summary>
    public const string ImEnd = "<|im_end|>";

    /// <summary>End of a document, also used for padding.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>The special tokens a trained tokenizer gets by default.</summary>
    public static readonly IReadOnlyList<string> SpecialTokens = [EndOfText, ImStart, ImEnd];

    /// <summary>Jinja template equivalent to <see cref="Render"/> (written as <c>tokenizer.chat_template</c>).</summary>
    public const string JinjaTemplate =
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    /// <summary>The header text of a message: <c>&lt;|im_start|&gt;role\n</c>.</summary>
    public static string Header(string role) => $"{ImStart}{role}\n";

    /// <summary>The ids that end a ChatML turn: <see cref="ImEnd"/> and end-of-text, those <paramref name="tokenizer"/> has.</summary>
    public static int[] StopTokenIds(ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return [.. new[] { tokenizer.SpecialTokenId(ImEnd), tokenizer.EosId }.OfType<int>().Distinct()];
    }

    /// <summary>The text after a message's content: <c>&lt;|im_end|&gt;\n</c>.</summary>
    public const string Footer = ImEnd + "\n";

    /// <summary>Renders messages, optionally followed by an open assistant header.</summary>
    public static string Render(IEnumerable<(string Role, string Content)> messages, bool addGenerationPrompt)
    {
        var text = string.Concat(messages.Select(m => Header(m.Role) + m.Content + Footer));
        return addGenerationPrompt ? text + Header("assistant") : text;
    }
}
