using AgentKit.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace AgentKit.Server.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>: validates the body, waits for a generation slot, then answers with one
/// <c>chat.completion</c> or, for <c>"stream": true</c>, server-sent <c>chat.completion.chunk</c> events
/// ending with <c>data: [DONE]</c> (after a usage chunk when <c>stream_options.include_usage</c> is set).
/// </summary>
internal sealed class ChatCompletionsEndpoint(Generation generation, string modelName, ServerOptions options)
{
    public async Task HandleAsync(HttpContext context)
    {
        var call = await generation.ReadRequestAsync(context, root =>
        {
            var call = ChatCompletionRequestReader.Read(root, ChatCompletionLimits.From(options));
            call.Candidates.Validate();
            return call;
        });
        var responses = new ChatCompletionResponses(modelName, options.TimeProvider.GetUtcNow().ToUnixTimeSeconds());

        if (!call.Stream)
        {
            var result = await generation.GenerateAsync(call.Candidates, context.RequestAborted);
            await JsonResponse.WriteAsync(context, responses.Completion(result, call.Tools));
            return;
        }

        var choices = Enumerable.Range(0, call.Candidates.N).Select(i => new ChatChoiceStream(i, responses, call.Tools)).ToArray();
        int? promptTokens = null;
        await generation.StreamAsync(context, call.Candidates,
            delta =>
            {
                promptTokens = delta.PromptTokens ?? promptTokens;
                return choices[delta.Index].Add(delta);
            },
            () => call.IncludeUsage
                ? [responses.UsageChunk(promptTokens, choices.All(c => c.Tokens is not null) ? choices.Sum(c => c.Tokens!.Value) : null)]
                : []);
    }
}
