#pragma warning disable OPENAI001 // Seed is marked experimental in the SDK
using System.Text;
using System.Text.Json;
using OpenAI.Chat;

namespace AgentKit.Server.Tests.Clients;

/// <summary>The official OpenAI .NET SDK against the server over a real tiny model: what applications see.</summary>
public sealed class OpenAISdkTests(ToolServerFixture fixture) : IClassFixture<ToolServerFixture>
{
    private const string WeatherSchema = """
        {"type":"object","properties":{"city":{"type":"string","enum":["Oslo","Lima"]},"days":{"type":"integer"},"metric":{"type":"boolean"}},"required":["city"]}
        """;

    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool("get_weather", "Weather forecast for a city", BinaryData.FromString(WeatherSchema));
    private static readonly ChatTool Clock = ChatTool.CreateFunctionTool("get_time", "The current time");

    private static List<ChatMessage> Ask(string text) => [new SystemChatMessage("You are terse."), new UserChatMessage(text)];

    private static ChatCompletionOptions Forced(int seed) => new()
    {
        Tools = { Clock, Weather },
        ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather"),
        Seed = seed,
        Temperature = 1f,
        MaxOutputTokenCount = 200,
    };

    private static void AssertWeatherArguments(string arguments)
    {
        using var parsed = JsonDocument.Parse(arguments);
        var root = parsed.RootElement;
        Assert.Contains(root.GetProperty("city").GetString(), new[] { "Oslo", "Lima" });
        Assert.True(root.GetProperty("days").TryGetInt64(out _), arguments);
        Assert.Contains(root.GetProperty("metric").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
    }

    [Fact]
    public async Task A_forced_call_comes_back_as_tool_calls_with_arguments_following_the_schema()
    {
        ChatCompletion completion = await fixture.Chat.CompleteChatAsync(Ask("Weather in Oslo?"), Forced(seed: 4));

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Matches("^call_[0-9a-f]{24}$", call.Id);
        AssertWeatherArguments(call.FunctionArguments.ToString());
        Assert.Empty(completion.Content);
        Assert.True(completion.Usage.InputTokenCount > 100, "the tool descriptions are part of the prompt");
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
    }

    [Fact]
    public async Task A_streamed_call_arrives_as_tool_call_deltas_equal_to_the_whole_answer_and_ends_with_usage()
    {
        var options = Forced(seed: 9);
        ChatCompletion whole = await fixture.Chat.CompleteChatAsync(Ask("Weather?"), options);

        var names = new StringBuilder();
        var arguments = new StringBuilder();
        var ids = new HashSet<string>();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in fixture.Chat.CompleteChatStreamingAsync(Ask("Weather?"), options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                Assert.Equal(0, call.Index);
                if (call.ToolCallId is { } id)
                    ids.Add(id);
                names.Append(call.FunctionName);
                arguments.Append(call.FunctionArgumentsUpdate?.ToString());
            }
            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }

        Assert.Single(ids);
        Assert.Equal("get_weather", names.ToString());
        Assert.Equal(whole.ToolCalls[0].FunctionArguments.ToString(), arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Required_lets_the_model_pick_among_the_tools()
    {
        var options = Forced(seed: 2);
        options.ToolChoice = ChatToolChoice.CreateRequiredChoice();

        ChatCompletion completion = await fixture.Chat.CompleteChatAsync(Ask("Anything."), options);

        var call = Assert.Single(completion.ToolCalls);
        Assert.Contains(call.FunctionName, new[] { "get_time", "get_weather" });
        if (call.FunctionName == "get_time")
            Assert.Equal("{}", call.FunctionArguments.ToString());
        else
            AssertWeatherArguments(call.FunctionArguments.ToString());
    }

    [Fact]
    public async Task A_past_call_and_its_result_can_be_sent_back()
    {
        ChatCompletion first = await fixture.Chat.CompleteChatAsync(Ask("Weather?"), Forced(seed: 4));
        var call = first.ToolCalls[0];
        List<ChatMessage> conversation = [.. Ask("Weather?"), new AssistantChatMessage(first.ToolCalls), new ToolChatMessage(call.Id, "12 C, rain")];

        ChatCompletion answer = await fixture.Chat.CompleteChatAsync(conversation, new ChatCompletionOptions { Tools = { Weather }, MaxOutputTokenCount = 6, Seed = 1 });

        Assert.Contains(answer.FinishReason, new[] { ChatFinishReason.Stop, ChatFinishReason.Length });
        Assert.True(answer.Usage.InputTokenCount > first.Usage.InputTokenCount, "the call and its result are in the prompt");
    }

    [Fact]
    public async Task Logprobs_cover_every_generated_token_and_greedy_picks_the_top_alternative()
    {
        var options = new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 3, Temperature = 0f, MaxOutputTokenCount = 8 };

        ChatCompletion completion = await fixture.Chat.CompleteChatAsync(Ask("Count."), options);

        var tokens = completion.ContentTokenLogProbabilities;
        Assert.Equal(completion.Usage.OutputTokenCount, tokens.Count);
        foreach (var token in tokens)
        {
            Assert.Equal(3, token.TopLogProbabilities.Count);
            Assert.True(token.LogProbability <= 0);
            Assert.True(token.TopLogProbabilities[0].LogProbability >= token.TopLogProbabilities[1].LogProbability);
            Assert.Equal(token.TopLogProbabilities[0].Token, token.Token); // temperature 0: the most likely token is chosen
            Assert.Equal(token.TopLogProbabilities[0].LogProbability, token.LogProbability, 5);
        }
        if (completion.FinishReason == ChatFinishReason.Length)
            Assert.Equal(completion.Content[0].Text, Encoding.UTF8.GetString(tokens.SelectMany(t => t.Utf8Bytes!.Value.ToArray()).ToArray())); // bytes are exact where a token is half a character
    }

    [Fact]
    public async Task A_stop_sequence_cuts_the_text_before_it()
    {
        var options = new ChatCompletionOptions { Temperature = 0f, MaxOutputTokenCount = 24 };
        var full = (await fixture.Chat.CompleteChatAsync(Ask("Talk."), options)).Value.Content[0].Text;
        var stop = full.Substring(6, 2);
        options.StopSequences.Add(stop);

        ChatCompletion stopped = await fixture.Chat.CompleteChatAsync(Ask("Talk."), options);

        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)], stopped.Content.Count == 0 ? "" : stopped.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
    }

    [Fact]
    public async Task A_json_schema_response_format_gives_json_following_the_schema()
    {
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("answer", BinaryData.FromString(WeatherSchema)),
            Seed = 3,
            MaxOutputTokenCount = 120,
        };

        ChatCompletion completion = await fixture.Chat.CompleteChatAsync(Ask("JSON please."), options);

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        AssertWeatherArguments(completion.Content[0].Text);
    }

    [Fact]
    public async Task A_json_object_response_format_gives_json_objects()
    {
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(), Seed = 5, MaxOutputTokenCount = 400 };

        var finished = 0;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            options.Seed = attempt;
            ChatCompletion completion = await fixture.Chat.CompleteChatAsync(Ask("JSON please."), options);
            var text = completion.Content[0].Text;
            Assert.StartsWith("{", text);
            if (completion.FinishReason != ChatFinishReason.Stop)
                continue; // cut off at max tokens: a prefix of an object
            finished++;
            using var parsed = JsonDocument.Parse(text);
            Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
        }
        Assert.True(finished > 0, "no seed finished its object within 400 tokens");
    }

    [Fact]
    public async Task A_client_mistake_surfaces_as_the_SDK_exception_with_the_servers_message()
    {
        var options = new ChatCompletionOptions { Tools = { Weather }, ToolChoice = ChatToolChoice.CreateFunctionChoice("launch_rocket") };

        var error = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => fixture.Chat.CompleteChatAsync(Ask("x"), options));

        Assert.Equal(400, error.Status);
        Assert.Contains("launch_rocket", error.Message);
    }
}
