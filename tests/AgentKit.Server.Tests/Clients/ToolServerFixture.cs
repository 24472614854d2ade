using System.ClientModel;
using AgentKit.Models.LlamaSharp;
using AgentKit.TestUtils;
using OpenAI;
using OpenAI.Chat;

namespace AgentKit.Server.Tests.Clients;

/// <summary>
/// A server over a real <see cref="LlamaSharpGenerator"/> on a tiny random GGUF, with a context large enough for the
/// tool descriptions in the prompt, and the OpenAI SDK's chat client pointed at it.
/// </summary>
public sealed class ToolServerFixture : IAsyncLifetime
{
    public const string ModelName = "tiny-random";

    public LlamaSharpGenerator Local { get; private set; } = null!;

    public OpenAICompatibleServer Server { get; private set; } = null!;

    public Uri Url { get; private set; } = null!;

    public ChatClient Chat { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Local = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), ContextSize = 2048, Threads = 2 });
        Server = new OpenAICompatibleServer(Local, new ServerOptions { Port = 0, ModelName = ModelName });
        Url = await Server.StartAsync();
        Chat = new ChatClient(ModelName, new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = Url });
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Local.Dispose();
    }
}
