using System.ComponentModel;
using Microsoft.Extensions.AI;

namespace AgentKit.Server.Tests.Clients;

/// <summary><see cref="IChatClient"/> from Microsoft.Extensions.AI.OpenAI against the server over a real tiny model.</summary>
public sealed class ChatClientTests(ToolServerFixture fixture) : IClassFixture<ToolServerFixture>
{
    /// <summary>Cities the forecast knows: the schema lists them, so even a random model's arguments are short.</summary>
    public enum City
    {
        Oslo,
        Lima,
    }

    private int _forecasts;

    [Description("Weather forecast for a city")]
    private string Forecast(
        [Description("The city")] City city,
        [Description("Days ahead")] long days) // the grammar allows integers of up to 16 digits
    {
        Interlocked.Increment(ref _forecasts);
        return $"{city}: sunny for {days} days";
    }

    private ChatOptions Options(ChatToolMode mode, int seed) => new()
    {
        Tools = [AIFunctionFactory.Create(Forecast, "get_forecast")],
        ToolMode = mode,
        Seed = seed,
        Temperature = 1f,
        MaxOutputTokens = 120,
    };

    [Fact]
    public async Task A_forced_call_is_a_function_call_content_with_typed_arguments()
    {
        using var client = fixture.Chat.AsIChatClient();

        var response = await client.GetResponseAsync("Forecast for Oslo?", Options(ChatToolMode.RequireSpecific("get_forecast"), seed: 3));

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_forecast", call.Name);
        Assert.NotNull(call.Arguments);
        Assert.Equal(["city", "days"], call.Arguments.Keys.Order());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.True(response.Usage?.InputTokenCount > 0);
    }

    [Fact]
    public async Task Function_invocation_runs_the_tool_the_model_called_and_sends_its_result_back()
    {
        using var client = new ChatClientBuilder(fixture.Chat.AsIChatClient()).UseFunctionInvocation().Build();
        var options = Options(ChatToolMode.RequireSpecific("get_forecast"), seed: 7);
        options.MaxOutputTokens = 120;

        var response = await client.GetResponseAsync("Forecast for Lima?", options);

        Assert.Equal(1, _forecasts); // the schema-constrained arguments bound to the C# parameters
        var result = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>());
        Assert.Contains("sunny for", result.Result?.ToString());
        Assert.Equal(ChatRole.Assistant, response.Messages[^1].Role); // the model's answer after the result
    }

    [Fact]
    public async Task A_streamed_forced_call_is_assembled_into_one_function_call()
    {
        using var client = fixture.Chat.AsIChatClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync("Forecast?", Options(ChatToolMode.RequireSpecific("get_forecast"), seed: 3)))
            updates.Add(update);
        var whole = await client.GetResponseAsync("Forecast?", Options(ChatToolMode.RequireSpecific("get_forecast"), seed: 3));

        var streamed = Assert.Single(updates.ToChatResponse().Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        var expected = Assert.Single(whole.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(expected.Name, streamed.Name);
        Assert.Equal(expected.Arguments!.ToDictionary(a => a.Key, a => a.Value?.ToString()), streamed.Arguments!.ToDictionary(a => a.Key, a => a.Value?.ToString()));
    }

    [Fact]
    public async Task Plain_chat_with_stop_and_json_format_goes_through_chat_options()
    {
        using var client = fixture.Chat.AsIChatClient();

        var response = await client.GetResponseAsync("JSON?", new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(
                System.Text.Json.JsonDocument.Parse("""{"type":"object","properties":{"ok":{"type":"boolean"}}}""").RootElement, "answer"),
            Seed = 1,
            MaxOutputTokens = 40,
        });

        Assert.Matches("""^\{ ?"ok": ?(true|false) ?\}$""", response.Text);
    }
}
