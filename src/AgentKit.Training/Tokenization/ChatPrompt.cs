using System.Text;
using LLama;

namespace AgentKit.Training.Tokenization;

/// <summary>
/// Renders chat turns into a policy's prompt text with the chat template of its checkpoint: ChatML
/// (<see cref="ChatFormat"/>, what AgentKit's checkpoints are trained and exported with) when the checkpoint ships no
/// template or a ChatML one; otherwise llama.cpp's template engine, which knows the common families (Llama 3, Gemma,
/// Mistral, Phi, …) from the template text. A template it does not recognise falls back to ChatML with a warning.
/// </summary>
public static class ChatPrompt
{
    /// <summary>
    /// The renderer for the checkpoint in <paramref name="checkpointDirectory"/> (<see cref="ChatTemplateFile.Read"/>):
    /// given the turns, the prompt text ending with an open assistant turn.
    /// </summary>
    /// <param name="checkpointDirectory">The checkpoint folder (its <c>chat_template.jinja</c> or <c>tokenizer_config.json</c>).</param>
    /// <param name="warn">Told once when the template cannot be used and ChatML is used instead.</param>
    public static Func<IReadOnlyList<(string Role, string Content)>, string> For(string checkpointDirectory, Action<string>? warn = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointDirectory);
        var template = ChatTemplateFile.Read(checkpointDirectory);
        if (template is null || template.Contains(ChatFormat.ImStart, StringComparison.Ordinal))
            return ChatMl;
        try
        {
            Apply(template, [("system", "s"), ("user", "u")]); // fails here, once, when llama.cpp does not know the template
            return messages => Apply(template, messages);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            warn?.Invoke($"the chat template of {checkpointDirectory} is not one llama.cpp recognises ({e.Message}); prompts are rendered as ChatML");
            return ChatMl;
        }
    }

    /// <summary>
    /// Token ids that end the policy's turn with the checkpoint's chat template: <c>&lt;|im_end|&gt;</c> and end-of-text
    /// where the tokenizer has them, plus the template's own end-of-turn marker (<c>&lt;|eot_id|&gt;</c> for Llama 3,
    /// <c>&lt;end_of_turn&gt;</c> for Gemma, …) when it is one of the tokenizer's special tokens. Without it a model of
    /// such a family would write past the end of its answer until the token limit.
    /// </summary>
    /// <param name="checkpointDirectory">The checkpoint folder (its <c>chat_template.jinja</c> or <c>tokenizer_config.json</c>).</param>
    /// <param name="tokenizer">The checkpoint's tokenizer.</param>
    public static IReadOnlyList<int> StopTokenIds(string checkpointDirectory, ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = ChatFormat.StopTokenIds(tokenizer);
        return EndOfTurn(checkpointDirectory) is { } marker && tokenizer.SpecialTokenId(marker) is { } id && !ids.Contains(id) ? [.. ids, id] : ids;
    }

    /// <summary>
    /// What the checkpoint's template writes right after an assistant message's content, trimmed (e.g. <c>&lt;|eot_id|&gt;</c>);
    /// null when the checkpoint has no template, a ChatML one (its marker is <c>&lt;|im_end|&gt;</c>) or one llama.cpp does not know.
    /// </summary>
    public static string? EndOfTurn(string checkpointDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointDirectory);
        var template = ChatTemplateFile.Read(checkpointDirectory);
        if (template is null || template.Contains(ChatFormat.ImStart, StringComparison.Ordinal))
            return null;
        const string Probe = "zqxjk";
        try
        {
            var chat = new LLamaTemplate(template) { AddAssistant = false };
            chat.Add("user", "u");
            chat.Add("assistant", Probe);
            var text = Encoding.UTF8.GetString(chat.Apply());
            var at = text.LastIndexOf(Probe, StringComparison.Ordinal);
            // The first piece after the content: a template may add a newline or a second marker behind it.
            var after = at < 0 ? [] : text[(at + Probe.Length)..].Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries);
            return after.Length > 0 ? after[0] : null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null; // For has warned about this template already: such a checkpoint is prompted as ChatML
        }
    }

    /// <summary>The turns as ChatML followed by an open assistant header.</summary>
    public static string ChatMl(IReadOnlyList<(string Role, string Content)> messages) => ChatFormat.Render(messages, addGenerationPrompt: true);

    private static string Apply(string template, IReadOnlyList<(string Role, string Content)> messages)
    {
        var chat = new LLamaTemplate(template) { AddAssistant = true };
        foreach (var (role, content) in messages)
            chat.Add(role, content);
        return Encoding.UTF8.GetString(chat.Apply());
    }
}
