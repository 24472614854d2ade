using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AgentKit.Server.Tests.Fakes;

/// <summary>
/// A tiny real HTTP server on a free loopback port whose <c>/v1/chat/completions</c> answer is scripted,
/// standing in for servers that behave differently from ours (ignore <c>n</c>, reject it, send garbage).
/// Records the JSON body of every request.
/// </summary>
internal sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ScriptedHttpServer(WebApplication app) => _app = app;

    public List<JsonElement> Requests { get; } = [];

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<ScriptedHttpServer> StartAsync(Func<JsonElement, HttpContext, Task> answer)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddRoutingCore();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ScriptedHttpServer(app);
        app.UseRouting();
        app.MapPost("/v1/chat/completions", async context =>
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body);
            var body = document.RootElement.Clone();
            lock (server.Requests)
                server.Requests.Add(body);
            await answer(body, context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address + "/v1");
        return server;
    }

    /// <summary>A one-choice OpenAI completion whose text names the request's seed.</summary>
    public static string OneChoice(JsonElement request, string prefix = "seed") =>
        JsonSerializer.Serialize(new
        {
            id = "x",
            @object = "chat.completion",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = $"{prefix} {SeedOf(request)}" }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 3, completion_tokens = 2 },
        });

    public static string SeedOf(JsonElement request) =>
        request.TryGetProperty("seed", out var seed) ? seed.GetRawText() : "none";

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
