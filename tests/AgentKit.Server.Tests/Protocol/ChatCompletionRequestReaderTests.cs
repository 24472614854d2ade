using System.Text.Json;
using AgentKit.Server.Protocol;

namespace AgentKit.Server.Tests.Protocol;

public sealed class ChatCompletionRequestReaderTests
{
    private static ChatCompletionCall Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ChatCompletionRequestReader.Read(document.RootElement, new ChatCompletionLimits(DefaultMaxTokens: 99, MaxMessages: 8, MaxStopSequences: 4));
    }

    [Fact]
    public void ReadsEveryParameter()
    {
        var call = Read("""
            {"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"hi "},{"type":"text","text":"there"}]}],
             "n":3,"temperature":0.5,"top_p":0.9,"seed":42,"max_completion_tokens":12,"max_tokens":50,"stop":["\n","END"],"stream":true,"grammar":"root ::= \"a\""}
            """);

        var request = call.Candidates;
        Assert.True(call.Stream);
        Assert.Equal(2, request.Messages!.Count);
        Assert.Equal("system", request.Messages[0].Role.Value);
        Assert.Equal("hi there", request.Messages[1].Text);
        Assert.Equal(3, request.N);
        Assert.Equal(0.5f, request.Temperature);
        Assert.Equal(0.9f, request.TopP);
        Assert.Equal(42, request.Seed);
        Assert.Equal(12, request.MaxTokens); // max_completion_tokens wins over the deprecated max_tokens
        Assert.Equal(["\n", "END"], request.Stop);
        Assert.Equal("root ::= \"a\"", request.Grammar);
    }

    [Fact]
    public void AppliesOpenAIDefaults()
    {
        var call = Read("""{"messages":[{"role":"user","content":"x"}],"stop":"###","seed":null}""");

        Assert.False(call.Stream);
        Assert.Equal(1, call.Candidates.N);
        Assert.Equal(1.0f, call.Candidates.Temperature);
        Assert.Equal(1.0f, call.Candidates.TopP);
        Assert.Null(call.Candidates.Seed);
        Assert.Equal(99, call.Candidates.MaxTokens);
        Assert.Equal(["###"], call.Candidates.Stop);
        Assert.Null(call.Candidates.Grammar);
    }

    [Theory]
    [InlineData("""[1,2]""", null, null)]
    [InlineData("""{}""", "messages", "missing_required_parameter")]
    [InlineData("""{"messages":[]}""", "messages", "invalid_value")]
    [InlineData("""{"messages":"hi"}""", "messages", "invalid_type")]
    [InlineData("""{"messages":[{"content":"x"}]}""", "messages[0].role", "missing_required_parameter")]
    [InlineData("""{"messages":[{"role":"robot","content":"x"}]}""", "messages[0].role", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url"}]}]}""", "messages[0].content", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":5}]}""", "messages[0].content", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"n":0}""", "n", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"n":65}""", "n", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"n":"2"}""", "n", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"n":1.5}""", "n", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"temperature":-0.1}""", "temperature", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"temperature":"hot"}""", "temperature", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"top_p":0}""", "top_p", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"seed":1e12}""", "seed", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"max_tokens":0}""", "max_tokens", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"max_completion_tokens":-3}""", "max_completion_tokens", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stop":[""]}""", "stop", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stop":[1]}""", "stop", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stream":"yes"}""", "stream", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"grammar":7}""", "grammar", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"model":7}""", "model", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]}""", "tools", "invalid_value")]
    public void RejectsBadInputNamingTheParameter(string json, string? param, string? code)
    {
        var error = Assert.Throws<ApiError>(() => Read(json));

        Assert.Equal(400, error.Status);
        Assert.Equal(ApiError.InvalidRequestType, error.Type);
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }
}
