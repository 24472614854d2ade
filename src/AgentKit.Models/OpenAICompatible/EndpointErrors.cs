using System.Net;
using System.Text.Json;

namespace AgentKit.Models.OpenAICompatible;

/// <summary>Turns transport failures and error responses into exceptions whose message says what to fix.</summary>
internal static class EndpointErrors
{
    private const int ExcerptLength = 300;

    /// <summary>The server could not be reached at all (refused, DNS, TLS).</summary>
    public static HttpRequestException Unreachable(Uri uri, HttpRequestException inner) =>
        new(inner.HttpRequestError,
            $"Cannot reach {uri}: {inner.Message} Is the server running and the endpoint URL right?",
            inner);

    /// <summary>No complete response within the configured timeout.</summary>
    public static TimeoutException TimedOut(Uri uri, TimeSpan timeout) =>
        new($"{uri} did not answer within {timeout.TotalSeconds:0.#} s (OpenAICompatibleOptions.Timeout).");

    /// <summary>
    /// A non-2xx status; the message carries the server's own explanation, and <see cref="Exception.Data"/> the wait
    /// its <c>Retry-After</c> asked for (<see cref="EndpointRetry.RetryAfterKey"/>).
    /// </summary>
    public static async Task<HttpRequestException> FromResponseAsync(Uri uri, HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            body = "";
        }

        var status = response.StatusCode;
        var error = new HttpRequestException(
            $"{uri} answered {(int)status} {ReasonOf(response)}: {ServerMessage(body)}",
            inner: null,
            statusCode: status);
        if (EndpointRetry.RetryAfterOf(response, time) is { } retryAfter)
            error.Data[EndpointRetry.RetryAfterKey] = retryAfter;
        return error;
    }

    /// <summary>The message inside an OpenAI-style <c>error</c> value (object with <c>message</c>, or a string).</summary>
    public static string MessageOf(JsonElement error) => error.ValueKind switch
    {
        JsonValueKind.String => error.GetString()!,
        JsonValueKind.Object when error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String => m.GetString()!,
        _ => Excerpt(error.GetRawText()),
    };

    /// <summary>The start of a body, on one line, for error messages.</summary>
    public static string Excerpt(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= ExcerptLength ? flat : flat[..ExcerptLength] + "…";
    }

    private static string ServerMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return "(empty body)";
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                // OpenAI and llama.cpp: {"error":{"message":…}}; others: {"error":"…"}, {"message":…}, {"detail":…}.
                if (root.TryGetProperty("error", out var error))
                    return MessageOf(error);
                foreach (var name in new[] { "message", "detail" })
                {
                    if (root.TryGetProperty(name, out var value))
                        return MessageOf(value);
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, plain text): show the text itself.
        }

        return Excerpt(body);
    }

    private static string ReasonOf(HttpResponseMessage response) =>
        response.ReasonPhrase ?? (Enum.IsDefined(response.StatusCode) ? response.StatusCode.ToString() : "");

    /// <summary>True for statuses a server uses to reject a parameter such as <c>n</c> (400, 422).</summary>
    public static bool IsParameterRejection(HttpStatusCode? status) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity;
}
