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

    [Fact]
    public void ToolsGoIntoTheSystemMessageAndPastCallsAndResultsIntoTheirTurns()
    {
        var call = Read("""
            {"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"weather?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"12 C"}],
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
             "logprobs":true,"top_logprobs":2,"stream":true,"stream_options":{"include_usage":true}}
            """);

        var messages = call.Candidates.Messages!;
        Assert.Equal(4, messages.Count);
        Assert.StartsWith("be brief\n\n# Tools", messages[0].Text);
        Assert.Contains("\"name\":\"get_weather\",\"description\":\"Weather now\"", messages[0].Text);
        Assert.Equal("<tool_call>\n{\"name\":\"get_weather\",\"arguments\":{\"city\":\"Oslo\"}}\n</tool_call>", messages[2].Text);
        Assert.Equal("<tool_response>\n12 C\n</tool_response>", messages[3].Text);
        Assert.Equal(AgentKit.Server.Tools.ToolChoiceMode.Auto, call.Tools.Mode);
        Assert.Null(call.Candidates.Grammar); // "auto": the model decides, nothing is forced
        Assert.Equal(2, call.Candidates.TopLogprobs);
        Assert.True(call.IncludeUsage);
    }

    [Fact]
    public void ToolChoiceNoneKeepsTheToolsOutOfThePrompt()
    {
        var call = Read("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"none"}""");

        Assert.Equal("x", Assert.Single(call.Candidates.Messages!).Text);
        Assert.False(call.Tools.Active);
    }

    [Theory]
    [InlineData("""{"type":"function","function":{"name":"g"}}""", "<tool_call>\\n{\\\"name\\\": \\\"g\\\"")]
    [InlineData("\"required\"", "\\\"f\\\"")]
    public void AForcedToolChoiceBecomesAValidGrammarNamingTheAllowedFunctions(string choice, string expected)
    {
        var call = Read("""
            {"messages":[{"role":"user","content":"x"}],"tool_choice":CHOICE,
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":{"unit":{"enum":["C","F"]},"days":{"type":"integer"}}}}},
                      {"type":"function","function":{"name":"g"}}]}
            """.Replace("CHOICE", choice));

        var grammar = Assert.IsType<string>(call.Candidates.Grammar);
        AgentKit.Models.LlamaSharp.GbnfValidator.Validate(grammar);
        Assert.Contains(expected, grammar);
    }

    [Fact]
    public void ResponseFormatJsonObjectIsAValidGrammar()
    {
        var call = Read("""{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"}}""");

        AgentKit.Models.LlamaSharp.GbnfValidator.Validate(call.Candidates.Grammar!);
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
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]}""", "tools[0].function", "missing_required_parameter")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tool_choice":"auto"}""", "tool_choice", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"sometimes"}""", "tool_choice", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"g"}}}""", "tool_choice", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"bad name"}}]}""", "tools[0].function.name", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"function":{"name":"f"}},{"function":{"name":"f"}}]}""", "tools[1].function.name", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"retrieval","function":{"name":"f"}}]}""", "tools[0].type", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":{}}""", "tools", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"function":{"name":"f","parameters":"x"}}]}""", "tools[0].function.parameters", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"response_format":"json"}""", "response_format", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"xml"}}""", "response_format.type", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_schema"}}""", "response_format.json_schema", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"},"grammar":"root ::= \"a\""}""", "response_format", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"required","response_format":{"type":"json_object"}}""", "tool_choice", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"top_logprobs":3}""", "top_logprobs", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"logprobs":true,"top_logprobs":21}""", "top_logprobs", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"logprobs":"yes"}""", "logprobs", "invalid_type")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stream_options":{"include_usage":true}}""", "stream_options", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stream":true,"stream_options":{"include_usage":1}}""", "stream_options.include_usage", "invalid_type")]
    [InlineData("""{"messages":[{"role":"assistant","content":"x","tool_calls":{}}]}""", "messages[0].tool_calls", "invalid_type")]
    [InlineData("""{"messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"arguments":"{}"}}]}]}""", "messages[0].tool_calls[0].function.name", "missing_required_parameter")]
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
