using System.Text.Json.Nodes;
using AgentKit.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace AgentKit.Server.Endpoints;

/// <summary>
/// <c>POST /v1/completions</c> (OpenAI's legacy text completions): the prompt goes to the model as is, without a
/// chat template; answered whole or, for <c>"stream": true</c>, as server-sent <c>text_completion</c> chunks ending
/// with <c>data: [DONE]</c>. With <c>echo</c>, a stream sends the prompt as each choice's first chunk.
/// </summary>
internal sealed class CompletionsEndpoint(Generation generation, string modelName, ServerOptions options)
{
    public async Task HandleAsync(HttpContext context)
    {
        var call = await generation.ReadRequestAsync(context, root =>
        {
            var call = CompletionRequestReader.Read(root, ChatCompletionLimits.From(options));
            call.Candidates.Validate();
            return call;
        });
        var responses = new CompletionResponses(modelName, options.TimeProvider.GetUtcNow().ToUnixTimeSeconds());
        var echoed = call.Echo ? call.Candidates.Prompt! : "";

        if (!call.Stream)
        {
            var result = await generation.GenerateAsync(call.Candidates, context.RequestAborted);
            await JsonResponse.WriteAsync(context, responses.Completion(result, echoed));
            return;
        }

        var sent = new int[call.Candidates.N];
        var tokens = new int?[call.Candidates.N];
        int? promptTokens = null;
        await generation.StreamAsync(context, call.Candidates,
            delta =>
            {
                promptTokens = delta.PromptTokens ?? promptTokens;
                tokens[delta.Index] = delta.Tokens ?? tokens[delta.Index];
                var events = new List<JsonObject>();
                if (sent[delta.Index] == 0 && echoed.Length > 0)
                {
                    events.Add(responses.Chunk(delta.Index, echoed, null, 0, null));
                    sent[delta.Index] = echoed.Length;
                }
                events.Add(responses.Chunk(delta.Index, delta.Text, delta.Logprobs, sent[delta.Index], delta.FinishReason));
                sent[delta.Index] += delta.Text.Length;
                return events;
            },
            () => call.IncludeUsage
                ? [responses.UsageChunk(promptTokens, tokens.All(t => t is not null) ? tokens.Sum(t => t!.Value) : null)]
                : []);
    }
}
