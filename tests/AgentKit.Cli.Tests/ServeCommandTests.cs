using System.Text.Json;
using AgentKit.Models.LlamaSharp;
using AgentKit.Server;
using AgentKit.TestUtils;
using static AgentKit.Cli.Tests.CliRun;

namespace AgentKit.Cli.Tests;

public sealed class ServeCommandTests
{

    [Theory]
    [InlineData("--model is required")]
    public async Task Serve_without_a_model_is_a_usage_error(string message)
    {
        var (exit, stdout, stderr) = await RunAsync("serve");

        Assert.Equal(CliApp.UsageError, exit);
        Assert.Contains(message, stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Serve_with_a_missing_model_file_is_a_usage_error()
    {
        var (exit, _, stderr) = await RunAsync("serve", "--model", Path.Combine(Path.GetTempPath(), "no-such-model.gguf"));

        Assert.Equal(CliApp.UsageError, exit);
        Assert.Contains("model file not found", stderr);
    }

    [Theory]
    [InlineData("--port", "70000", "Port must be between 0 and 65535")]
    [InlineData("--host", "example.org", "Host must be an IP address")]
    [InlineData("--context", "4", "ContextSize")]
    [InlineData("--threads", "0", "Threads")]
    [InlineData("--port", "eighty", "eighty")]
    public async Task Serve_with_bad_settings_exits_2_before_loading_the_model(string option, string value, string message)
    {
        var (exit, stdout, stderr) = await RunAsync("serve", "--model", TinyModels.RandomLlamaPath(), option, value);

        Assert.Equal(CliApp.UsageError, exit);
        Assert.Contains(message, stderr);
        Assert.DoesNotContain("Serving", stdout);
    }

    [Fact]
    public async Task Serve_on_a_port_in_use_fails_with_a_clear_message()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var (exit, _, stderr) = await RunAsync("serve", "--model", TinyModels.RandomLlamaPath(), "--port", port.ToString());

            Assert.Equal(CliApp.Failure, exit);
            Assert.Contains($"Cannot listen on 127.0.0.1:{port}", stderr);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task Generate_with_endpoint_talks_to_a_running_server_and_matches_local_chat_generation()
    {
        using var model = new LlamaSharpGenerator(new LlamaSharpOptions { ModelPath = TinyModels.RandomLlamaPath(), ContextSize = 256, Threads = 2 });
        await using var server = new OpenAICompatibleServer(model, new ServerOptions { Port = 0, ModelName = "tiny" });
        var url = await server.StartAsync();
        string[] sampling = ["--prompt", "Say something.", "--n", "2", "--seed", "3", "--max-tokens", "6", "--temperature", "0.9", "--json"];

        var (exit, stdout, stderr) = await RunAsync(["generate", "--endpoint", url.ToString(), "--model-name", "tiny", .. sampling]);
        var (localExit, localStdout, localStderr) = await RunAsync(["generate", "--model", TinyModels.RandomLlamaPath(), "--chat", "--context", "256", .. sampling]);

        Assert.True(exit == 0, stderr);
        Assert.True(localExit == 0, localStderr);
        using var remote = JsonDocument.Parse(stdout);
        using var local = JsonDocument.Parse(localStdout);
        Assert.Equal("tiny", remote.RootElement.GetProperty("model").GetString());
        var remoteTexts = remote.RootElement.GetProperty("completions").EnumerateArray().Select(c => c.GetProperty("text").GetString()).ToList();
        var localTexts = local.RootElement.GetProperty("completions").EnumerateArray().Select(c => c.GetProperty("text").GetString()).ToList();
        Assert.Equal(2, remoteTexts.Count);
        Assert.Equal(localTexts, remoteTexts); // a raw prompt travels as one user message: the same as --chat locally
    }

    [Fact]
    public async Task Generate_with_an_unreachable_endpoint_exits_1_with_the_reason()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var (exit, _, stderr) = await RunAsync("generate", "--endpoint", $"http://127.0.0.1:{port}/v1", "--model-name", "x", "--prompt", "hi", "--json");

        Assert.Equal(CliApp.Failure, exit);
        Assert.Contains("Cannot reach", stderr);
    }

    [Fact]
    public async Task Generate_with_a_non_http_endpoint_is_a_usage_error()
    {
        var (exit, _, stderr) = await RunAsync("generate", "--endpoint", "ftp://127.0.0.1/v1", "--model-name", "x", "--prompt", "hi");

        Assert.Equal(CliApp.UsageError, exit);
        Assert.Contains("http", stderr);
    }
}
