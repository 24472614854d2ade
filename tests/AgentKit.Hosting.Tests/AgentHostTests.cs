using AgentKit.Abstractions.Execution;
using AgentKit.Core.Running;

namespace AgentKit.Hosting.Tests;

/// <summary>Opening an agent folder: with its model, or without it (tools and sandbox only, as GRPO opens it).</summary>
public sealed class AgentHostTests
{
    [Fact]
    public async Task Without_the_model_a_folder_with_no_gguf_opens_its_tools_and_a_working_sandbox()
    {
        Assert.False(File.Exists(Path.Combine(RepoFiles.ExampleAgent, "model.gguf")));

        await using var host = await AgentHost.OpenAsync(new AgentHostSettings { AgentFolder = RepoFiles.ExampleAgent, OpenModel = false });

        Assert.False(host.HasModel);
        Assert.Equal(["Search"], host.Tools.Select(t => t.Definition.Name));
        await using var session = await host.Sandbox.OpenSessionAsync(host.Tools);
        var result = await session.ExecuteAsync("Console.Write(6 * 7);");
        Assert.Equal((ExecutionStatus.Ok, "42"), (result.Status, result.Output));
        Assert.Contains("opened without a model", Assert.Throws<InvalidOperationException>(() => host.Generator).Message);
        Assert.Contains("opened without a model", Assert.Throws<InvalidOperationException>(() => host.CreateAgent(new AgentRunOptions())).Message);
    }

    [Fact]
    public async Task With_the_model_a_folder_with_no_gguf_is_refused()
    {
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => AgentHost.OpenAsync(new AgentHostSettings { AgentFolder = RepoFiles.ExampleAgent }));

        Assert.Contains("Model file not found", error.Message);
    }

    [Fact]
    public void A_model_file_or_endpoint_is_refused_when_no_model_is_opened()
    {
        var settings = new AgentHostSettings { AgentFolder = "a", OpenModel = false, ModelPath = "m.gguf" };

        Assert.Contains("OpenModel", Assert.Throws<ArgumentException>(() => settings.Validate()).Message);
    }
}
