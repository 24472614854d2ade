using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using AgentKit.Abstractions.Models;
using AgentKit.Server;

namespace AgentKit.Tools.Dogfood.Harnesses;

/// <summary>
/// The server's <c>POST /v1/chat/completions</c> body handling, step for step as the endpoint does it: parse the body as
/// JSON, read it with <c>ChatCompletionRequestReader</c>, validate the resulting <see cref="CandidateRequest"/>. The
/// reader is internal to the server, so it is bound once, by reflection, into a compiled delegate (none per input).
/// </summary>
public static class ChatRequestHarness
{
    private const string ApiErrorType = "AgentKit.Server.Protocol.ApiError";
    private const int DefaultMaxTokens = 256;

    private static readonly Func<JsonElement, int, CandidateRequest> s_read = Bind();

    /// <summary>Reads <paramref name="data"/> as a chat completion request body.</summary>
    /// <remarks>
    /// Documented rejections, each answered with 400 by the endpoint: <see cref="JsonException"/> (not JSON),
    /// <see cref="ArgumentException"/> (the request fails validation) and the server's <c>ApiError</c> (a parameter named).
    /// Anything else escaping would be a 500 and is a finding.
    /// </remarks>
    public static void Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            _ = Read(data);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException || ex.GetType().FullName == ApiErrorType)
        {
            // the endpoint's 400
        }
    }

    /// <summary>The validated request, or the rejection as it escapes the endpoint's steps.</summary>
    internal static CandidateRequest Read(ReadOnlySpan<byte> data)
    {
        using var document = JsonDocument.Parse(data.ToArray());
        return s_read(document.RootElement, DefaultMaxTokens).Validate();
    }

    /// <summary><c>(root, max) => ChatCompletionRequestReader.Read(root, max).Candidates</c>, compiled.</summary>
    private static Func<JsonElement, int, CandidateRequest> Bind()
    {
        var reader = typeof(ServerOptions).Assembly.GetType("AgentKit.Server.Protocol.ChatCompletionRequestReader", throwOnError: true)!;
        var read = reader.GetMethod("Read", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(JsonElement), typeof(int)])
                   ?? throw new MissingMethodException(reader.FullName, "Read(JsonElement, int)");
        var root = Expression.Parameter(typeof(JsonElement), "root");
        var max = Expression.Parameter(typeof(int), "defaultMaxTokens");
        var candidates = Expression.Property(Expression.Call(read, root, max), "Candidates");
        return Expression.Lambda<Func<JsonElement, int, CandidateRequest>>(candidates, root, max).Compile();
    }
}
