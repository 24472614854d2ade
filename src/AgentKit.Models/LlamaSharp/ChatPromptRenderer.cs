using System.Text;
using LLama;
using Microsoft.Extensions.AI;

namespace AgentKit.Models.LlamaSharp;

/// <summary>
/// Renders chat messages into prompt text. With a <c>tokenizer.chat_template</c> in the GGUF, llama.cpp's
/// template engine (<see cref="LLamaTemplate"/>) renders it. Without one, or when llama.cpp does not recognise
/// the template, messages are rendered as ChatML (<c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;</c>), the
/// same default llama.cpp's own server uses; a model not trained on ChatML then sees its markers as plain text.
/// </summary>
internal static class ChatPromptRenderer
{
    public static string Render(LLamaWeights weights, bool hasTemplate, IReadOnlyList<ChatMessage> messages, Action<Exception> onFallback)
    {
        if (hasTemplate)
        {
            try
            {
                var template = new LLamaTemplate(weights, strict: true) { AddAssistant = true };
                foreach (var message in messages)
                    template.Add(message.Role.Value, message.Text);
                return Encoding.UTF8.GetString(template.Apply());
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                onFallback(ex);
            }
        }
        return RenderChatML(messages);
    }

    public static string RenderChatML(IReadOnlyList<ChatMessage> messages)
    {
        var prompt = new StringBuilder();
        foreach (var message in messages)
            prompt.Append("<|im_start|>").Append(message.Role.Value).Append('\n').Append(message.Text).Append("<|im_end|>\n");
        return prompt.Append("<|im_start|>assistant\n").ToString();
    }
}
