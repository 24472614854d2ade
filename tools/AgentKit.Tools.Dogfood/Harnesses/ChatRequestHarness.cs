using System.Text.Json;
using AgentKit.Abstractions.Models;
using AgentKit.Server;
using AgentKit.Server.Protocol;

namespace AgentKit.Tools.Dogfood.Harnesses;

/// <summary>
/// The server's <c>POST /v1/chat/completions</c> body handling, step for step as the endpoint does it: refuse a body
/// that is not UTF-8, parse it as JSON, read it with <c>ChatCompletionRequestReader</c>, validate the resulting
/// <see cref="CandidateRequest"/>. The reader is internal to the server, which lets this assembly see it.
/// </summary>
public static class ChatRequestHarness
{
    private static readonly ChatCompletionLimits Limits = ChatCompletionLimits.From(new ServerOptions());

    /// <summary>Reads <paramref name="data"/> as a chat completion request body.</summary>
    /// <remarks>
    /// Documented rejections, each answered with 400 by the endpoint: a body that is not UTF-8, <see cref="JsonException"/> (not JSON),
    /// <see cref="ArgumentException"/> (the request fails validation) and the server's <c>ApiError</c> (a parameter named).
    /// Anything else escaping would be a 500 and is a finding.
    /// </remarks>
    public static void Parse(ReadOnlySpan<byte> data)
    {
        // The endpoint's body reader answers 400 (invalid_encoding) before any JSON is parsed.
        if (!System.Text.Unicode.Utf8.IsValid(data)) return;
        try
        {
            _ = Read(data);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or ApiError)
        {
            // the endpoint's 400
        }
    }

    /// <summary>The validated request, or the rejection as it escapes the endpoint's steps.</summary>
    internal static CandidateRequest Read(ReadOnlySpan<byte> data)
    {
        using var document = JsonDocument.Parse(data.ToArray());
        var call = ChatCompletionRequestReader.Read(document.RootElement, Limits);
        call.Candidates.Validate();
        return call.Candidates;
    }
}
