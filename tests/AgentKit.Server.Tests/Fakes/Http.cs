using System.Net;
using System.Text;
using System.Text.Json;

namespace AgentKit.Server.Tests.Fakes;

/// <summary>Raw HTTP calls for tests that check status codes and body shapes byte for byte.</summary>
internal static class Http
{
    public static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(60) };

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(Uri baseUrl, string path, string json)
    {
        using var response = await Client.PostAsync(new Uri(baseUrl + path), new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(Uri baseUrl, string path)
    {
        using var response = await Client.GetAsync(new Uri(baseUrl + path));
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    /// <summary>Posts and returns the raw <c>data:</c> payloads of a server-sent event stream.</summary>
    public static async Task<(HttpStatusCode Status, string ContentType, List<string> Events)> PostStreamAsync(Uri baseUrl, string json, string path = "/chat/completions")
    {
        using var response = await Client.PostAsync(new Uri(baseUrl + path), new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.StartsWith("data: ", StringComparison.Ordinal) ? e["data: ".Length..] : throw new InvalidDataException($"not an SSE data line: {e}"))
            .ToList();
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", events);
    }

    /// <summary>Asserts the OpenAI error shape and returns the error object.</summary>
    public static JsonElement AssertError(JsonElement body, string type, string? param)
    {
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.Equal(type, error.GetProperty("type").GetString());
        Assert.True(error.TryGetProperty("code", out _));
        var actualParam = error.GetProperty("param");
        Assert.Equal(param, actualParam.ValueKind == JsonValueKind.Null ? null : actualParam.GetString());
        return error;
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
