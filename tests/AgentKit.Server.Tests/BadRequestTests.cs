using System.Net;
using System.Text;
using System.Text.Json;
using AgentKit.Server.Tests.Fakes;

namespace AgentKit.Server.Tests;

/// <summary>
/// Client mistakes sent as real HTTP requests to a server over the tiny random GGUF: each is a 400 (or 413 for a
/// body over the limit) in OpenAI's error shape, never a 500, and the server keeps answering afterwards. Before
/// these checks a body that was not UTF-8 or held an escaped lone surrogate was a 500, and an oversized body was
/// read and tokenised in full (10 MB: 41 s; 100,000 messages: 8 minutes) before being refused.
/// </summary>
public sealed class BadRequestTests(TinyModelServerFixture fixture) : IClassFixture<TinyModelServerFixture>, IAsyncLifetime
{
    private const int BodyLimit = 64 * 1024;
    private OpenAICompatibleServer _server = null!;
    private Uri _url = null!;

    public async Task InitializeAsync()
    {
        // A second server over the fixture's model, with small limits so the tests send small bodies.
        _server = new OpenAICompatibleServer(fixture.Local, new ServerOptions
        {
            Port = 0, MaxRequestBodyBytes = BodyLimit, MaxMessages = 8, MaxStopSequences = 4,
        });
        _url = await _server.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private const string Hi = """[{"role":"user","content":"hi"}]""";

    [Theory]
    [InlineData("""{"messages":"hi"}""", "messages")]
    [InlineData("""{"messages":[5]}""", "messages[0]")]
    [InlineData("""{"messages":[{"content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":5,"content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"user","content":{"text":"hi"}}]}""", "messages[0].content")]
    [InlineData("""{"messages":[{"role":"user","content":"a\ud800b"}]}""", "messages[0].content")]
    [InlineData("""{"messages":[{"role":"\udfff","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"user","content":"1"},{"role":"user","content":"2"},{"role":"user","content":"3"},{"role":"user","content":"4"},{"role":"user","content":"5"},{"role":"user","content":"6"},{"role":"user","content":"7"},{"role":"user","content":"8"},{"role":"user","content":"9"}]}""", "messages")]
    [InlineData("""{"messages":HI,"max_tokens":-5}""", "max_tokens")]
    [InlineData("""{"messages":HI,"max_tokens":1e12}""", "max_tokens")]
    [InlineData("""{"messages":HI,"max_tokens":"10"}""", "max_tokens")]
    [InlineData("""{"messages":HI,"max_completion_tokens":0}""", "max_completion_tokens")]
    [InlineData("""{"messages":HI,"n":0}""", "n")]
    [InlineData("""{"messages":HI,"n":100000}""", "n")]
    [InlineData("""{"messages":HI,"n":2.5}""", "n")]
    [InlineData("""{"messages":HI,"temperature":-1}""", "temperature")]
    [InlineData("""{"messages":HI,"temperature":1e400}""", "temperature")]
    [InlineData("""{"messages":HI,"temperature":"hot"}""", "temperature")]
    [InlineData("""{"messages":HI,"top_p":0}""", "top_p")]
    [InlineData("""{"messages":HI,"seed":1e20}""", "seed")]
    [InlineData("""{"messages":HI,"stop":[1]}""", "stop")]
    [InlineData("""{"messages":HI,"stop":["a","b","c","d","e"]}""", "stop")]
    [InlineData("""{"messages":HI,"stream":"yes"}""", "stream")]
    [InlineData("""{"messages":HI,"grammar":5}""", "grammar")]
    [InlineData("""{"messages":HI,"tools":[{"type":"function"}]}""", "tools[0].function")]
    [InlineData("""{"model":5,"messages":HI}""", "model")]
    [InlineData("""{}""", "messages")]
    [InlineData("""[]""", null)]
    [InlineData("""{"messages":HI""", null)]
    [InlineData("", null)]
    public async Task A_client_mistake_is_a_400_naming_the_parameter(string json, string? param)
    {
        var (status, body) = await Http.PostAsync(_url, "/chat/completions", json.Replace("HI", Hi, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Http.AssertError(body, "invalid_request_error", param);
    }

    [Fact]
    public async Task A_grammar_that_does_not_parse_and_a_prompt_over_the_context_are_400s()
    {
        var (status, body) = await Http.PostAsync(_url, "/chat/completions", $$"""{"messages":{{Hi}},"grammar":"root ::= ("}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("GBNF", Http.AssertError(body, "invalid_request_error", null).GetProperty("message").GetString());

        var words = string.Concat(Enumerable.Repeat("word ", 2000));
        (status, body) = await Http.PostAsync(_url, "/chat/completions", $$"""{"messages":[{"role":"user","content":"{{words}}"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("fills the 256-token context", Http.AssertError(body, "invalid_request_error", null).GetProperty("message").GetString());
    }

    /// <summary>Found by `agentkit bench dogfood` (chat-request): invalid UTF-8 in a stop string and in a role were 500s.</summary>
    [Theory]
    [InlineData("eyJtZXNzYWdlcyI6W3sicm9sZSI6InVzZXIiLCIiOiIifV0sInN0b3AiOiKHIiwiIjp0cnVlfQ==")]
    [InlineData("eyJtZXNzYWdlcyI6W3sicm9sZSI6IoxcciIsIiI6IiJ9XSwiIjoiIiwiIjp0cnVlfQ==")]
    public async Task Dogfood_findings_are_400s(string base64)
    {
        var (status, body) = await PostBytesAsync(new ByteArrayContent(Convert.FromBase64String(base64)));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_encoding", Http.AssertError(body, "invalid_request_error", null).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // an encoded surrogate, which UTF-8 forbids
    public async Task A_body_that_is_not_UTF8_is_a_400(byte[] invalid)
    {
        var json = Encoding.UTF8.GetBytes("""{"messages":[{"role":"user","content":"h""").Concat(invalid).Concat("""i"}]}"""u8.ToArray()).ToArray();

        var (status, body) = await PostBytesAsync(new ByteArrayContent(json));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = Http.AssertError(body, "invalid_request_error", null);
        Assert.Equal("invalid_encoding", error.GetProperty("code").GetString());
        Assert.Contains("at offset 40", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_a_413_before_the_body_is_read()
    {
        var (status, body) = await PostBytesAsync(new ByteArrayContent(LongRequest(BodyLimit + 1)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        var error = Http.AssertError(body, "invalid_request_error", null);
        Assert.Equal("request_too_large", error.GetProperty("code").GetString());
        Assert.Contains($"is {BodyLimit + 1} bytes (its Content-Length)", error.GetProperty("message").GetString());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_a_413()
    {
        // A non-seekable stream has no length, so HttpClient sends it chunked, without Content-Length.
        var content = new StreamContent(new NonSeekableStream(LongRequest(4 * BodyLimit)));

        var (status, body) = await PostBytesAsync(content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains($"more than {BodyLimit} bytes", Http.AssertError(body, "invalid_request_error", null).GetProperty("message").GetString());
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task A_body_just_under_the_limit_is_served()
    {
        // Padding whitespace makes a large body whose prompt is still tiny.
        var json = Encoding.UTF8.GetBytes($$"""{"messages":{{Hi}},"max_tokens":2}""" + new string(' ', BodyLimit - 100));

        var (status, _) = await PostBytesAsync(new StreamContent(new NonSeekableStream(json)));

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Theory]
    [InlineData(nameof(ServerOptions.MaxRequestBodyBytes), 100)]
    [InlineData(nameof(ServerOptions.MaxMessages), 0)]
    [InlineData(nameof(ServerOptions.MaxStopSequences), -1)]
    public void Limits_are_validated_at_construction(string option, int value)
    {
        var options = option switch
        {
            nameof(ServerOptions.MaxRequestBodyBytes) => new ServerOptions { MaxRequestBodyBytes = value },
            nameof(ServerOptions.MaxMessages) => new ServerOptions { MaxMessages = value },
            _ => new ServerOptions { MaxStopSequences = value },
        };

        var ex = Assert.Throws<ArgumentException>(() => new OpenAICompatibleServer(fixture.Local, options));

        Assert.Contains(option, ex.Message);
    }

    private static byte[] LongRequest(int bytes)
    {
        var prefix = """{"messages":[{"role":"user","content":" """;
        return Encoding.UTF8.GetBytes(prefix + new string('a', bytes - prefix.Length - 4) + "\"}]}");
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostBytesAsync(HttpContent content)
    {
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        // The server closes a connection whose body it refused unread; a pooled one would fail the next test's request.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_url + "/chat/completions")) { Content = content };
        request.Headers.ConnectionClose = true;
        using var response = await Http.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    private async Task AssertStillServingAsync()
    {
        var (status, _) = await Http.PostAsync(_url, "/chat/completions", $$"""{"messages":{{Hi}},"max_tokens":2}""");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    /// <summary>A read-only stream that cannot seek or tell its length.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}
