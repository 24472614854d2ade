using System.Runtime.CompilerServices;
using AgentKit.Abstractions.Models;
using Microsoft.Extensions.AI;

namespace AgentKit.Models.LlamaSharp;

/// <summary><see cref="IChatClient"/> over a <see cref="LlamaSharpGenerator"/>; see <see cref="LlamaSharpGenerator.AsChatClient"/>.</summary>
internal sealed class LlamaSharpChatClient(LlamaSharpGenerator generator) : IChatClient
{
    /// <summary>Key of <see cref="ChatOptions.AdditionalProperties"/> holding a GBNF grammar.</summary>
    public const string GrammarProperty = "grammar";

    private readonly ChatClientMetadata _metadata = new(
        providerName: "llamasharp",
        providerUri: new Uri(Path.GetFullPath(generator.ModelPath)),
        defaultModelId: generator.ProviderModelId);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await generator.GenerateAsync(ToRequest(messages, options), cancellationToken).ConfigureAwait(false);
        var candidate = result.Candidates[0];
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, candidate.Text))
        {
            ModelId = _metadata.DefaultModelId,
            FinishReason = ToFinishReason(candidate.FinishReason),
            Usage = new UsageDetails
            {
                InputTokenCount = result.PromptTokens,
                OutputTokenCount = candidate.Tokens,
                TotalTokenCount = result.PromptTokens + candidate.Tokens,
            },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var responseId = Guid.NewGuid().ToString("N");
        await foreach (var delta in generator.StreamAsync(ToRequest(messages, options), cancellationToken).ConfigureAwait(false))
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, delta.Text)
            {
                ResponseId = responseId,
                ModelId = _metadata.DefaultModelId,
                FinishReason = delta.FinishReason is null ? null : ToFinishReason(delta.FinishReason),
            };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(ChatClientMetadata))
            return _metadata;
        if (serviceType.IsInstanceOfType(generator))
            return generator;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
        // The generator belongs to whoever created it.
    }

    private static CandidateRequest ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.ToList();
        var defaults = new CandidateRequest { Messages = list };
        return new CandidateRequest
        {
            Messages = list,
            N = 1,
            Temperature = options?.Temperature ?? defaults.Temperature,
            TopP = options?.TopP ?? defaults.TopP,
            Seed = options?.Seed is { } seed ? unchecked((int)seed) : null,
            MaxTokens = options?.MaxOutputTokens ?? defaults.MaxTokens,
            Stop = options?.StopSequences?.ToList() ?? [],
            Grammar = options?.AdditionalProperties?.TryGetValue(GrammarProperty, out var grammar) == true ? grammar as string : null,
        }.Validate();
    }

    private static ChatFinishReason ToFinishReason(string reason) =>
        reason == FinishReasons.Length ? ChatFinishReason.Length : ChatFinishReason.Stop;
}
