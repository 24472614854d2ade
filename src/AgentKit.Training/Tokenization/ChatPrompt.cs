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
