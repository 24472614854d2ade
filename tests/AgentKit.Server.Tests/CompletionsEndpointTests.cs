using System.Net;
using System.Text.Json;
using AgentKit.Abstractions.Models;
using AgentKit.Server.Tests.Clients;
using AgentKit.Server.Tests.Fakes;

namespace AgentKit.Server.Tests;

/// <summary><c>/v1/completions</c> over a real tiny model, compared with the generator called in-process.</summary>
public sealed class CompletionsEndpointTests(ToolServerFixture fixture) : IClassFixture<ToolServerFixture>
{
    [Fact]
    public async Task The_prompt_goes_in_raw_and_n_choices_match_in_process_generation()
    {
        var local = await fixture.Local.GenerateAsync(new CandidateRequest { Prompt = "Once upon", N = 2, Seed = 8, Temperature = 1f, TopP = 1f, MaxTokens = 6 });

        var (status, body) = await Http.PostAsync(fixture.Url, "/completions", """{"prompt":"Once upon","n":2,"seed":8,"max_tokens":6}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString());
        var choices = body.GetProperty("choices").EnumerateArray().ToList();
        Assert.Equal(local.Candidates.Select(c => c.Text), choices.Select(c => c.GetProperty("text").GetString()));
        Assert.Equal(local.Candidates.Select(c => c.FinishReason), choices.Select(c => c.GetProperty("finish_reason").GetString()));
        Assert.Equal(local.PromptTokens, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(local.Candidates.Sum(c => c.Tokens), body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Streaming_gives_the_same_text_with_echo_logprobs_and_a_usage_chunk()
    {
        const string request = """{"prompt":["Hello"],"seed":4,"max_tokens":7,"echo":true,"logprobs":2,"stream":STREAM}""";
        var (_, whole) = await Http.PostAsync(fixture.Url, "/completions", request.Replace("STREAM", "false"));
        var (status, contentType, events) = await Http.PostStreamAsync(fixture.Url, request.Replace("STREAM", "true, \"stream_options\":{\"include_usage\":true}"), "/completions");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/event-stream", contentType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        var choice = whole.GetProperty("choices")[0];
        Assert.StartsWith("Hello", choice.GetProperty("text").GetString());
        Assert.Equal(choice.GetProperty("text").GetString(), string.Concat(chunks[..^1].Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString())));
        var logprobs = choice.GetProperty("logprobs");
        Assert.Equal(whole.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), logprobs.GetProperty("tokens").GetArrayLength());
        Assert.Equal(5, logprobs.GetProperty("text_offset")[0].GetInt32()); // generated text starts after the echoed prompt
        Assert.All(logprobs.GetProperty("top_logprobs").EnumerateArray(), t => Assert.InRange(t.EnumerateObject().Count(), 1, 2));
        var usage = chunks[^1];
        Assert.Empty(usage.GetProperty("choices").EnumerateArray());
        Assert.Equal(whole.GetProperty("usage").GetRawText(), usage.GetProperty("usage").GetRawText());
    }

    [Theory]
    [InlineData("""{"max_tokens":2}""", "prompt")]
    [InlineData("""{"prompt":[1,2,3]}""", "prompt")]
    [InlineData("""{"prompt":"x","suffix":"y"}""", "suffix")]
    [InlineData("""{"prompt":"x","n":2,"best_of":3}""", "best_of")]
    [InlineData("""{"prompt":"x","logprobs":6}""", "logprobs")]
    [InlineData("""{"prompt":"x","stream_options":{"include_usage":true}}""", "stream_options")]
    public async Task Client_mistakes_are_400_naming_the_parameter(string json, string param)
    {
        var (status, body) = await Http.PostAsync(fixture.Url, "/completions", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Http.AssertError(body, "invalid_request_error", param);
    }

    [Fact]
    public async Task Chat_streams_end_with_a_usage_chunk_equal_to_the_whole_answers_usage()
    {
        const string request = """{"messages":[{"role":"user","content":"hi"}],"n":2,"seed":2,"max_tokens":5,"stream":STREAM}""";
        var (_, whole) = await Http.PostAsync(fixture.Url, "/chat/completions", request.Replace("STREAM", "false"));
        var (_, _, events) = await Http.PostStreamAsync(fixture.Url, request.Replace("STREAM", "true, \"stream_options\":{\"include_usage\":true}"));

        var usage = JsonDocument.Parse(events[^2]).RootElement;
        Assert.Empty(usage.GetProperty("choices").EnumerateArray());
        Assert.Equal(whole.GetProperty("usage").GetRawText(), usage.GetProperty("usage").GetRawText());
    }
}
