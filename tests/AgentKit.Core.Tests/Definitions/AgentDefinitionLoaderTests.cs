using AgentKit.Core.Definitions;

namespace AgentKit.Core.Tests.Definitions;

public sealed class AgentDefinitionLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agentkit-def-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string json, string? promptFile = null, string? promptText = null)
    {
        File.WriteAllText(Path.Combine(_dir, "agent.json"), json);
        if (promptFile is not null)
            File.WriteAllText(Path.Combine(_dir, promptFile), promptText);
        return _dir;
    }

    [Fact]
    public void Loads_a_full_definition_with_instructions_file()
    {
        Write("""
            {
              // comments are allowed
              "name": "qa",
              "instructions_file": "prompt.md",
              "tools": ["Search"],
              "tool_settings": { "Search": { "index": "index" } },
              "model": { "path": "model.gguf" },
              "sampling": { "candidates": 4, "temperature": 0.5, "top_p": 0.9, "seed": 7, "max_tokens_per_step": 300 },
              "max_steps": 5,
              "planning_interval": 2,
              "grammar": false,
              "observation_max_chars": 500,
              "prompt_style": "compact",
              "task_variable": "task",
            }
            """, "prompt.md", "  Answer questions.\n");
        var loaded = AgentDefinitionLoader.Load(_dir);
        var d = loaded.Definition;
        Assert.Equal("qa", d.Name);
        Assert.Equal("Answer questions.", d.Instructions);
        Assert.Equal(["Search"], d.Tools);
        Assert.Equal("index", d.ToolSettings["Search"]["index"]);
        Assert.Equal(4, d.Sampling.Candidates);
        Assert.Equal(0.5f, d.Sampling.Temperature);
        Assert.Equal(7, d.Sampling.Seed);
        Assert.Equal(300, d.Sampling.MaxTokensPerStep);
        Assert.Equal(5, d.MaxSteps);
        Assert.Equal(2, d.PlanningInterval);
        Assert.False(d.Grammar);
        Assert.Equal(AgentKit.Core.Prompts.PromptStyle.Compact, d.PromptStyle);
        Assert.Equal("task", d.TaskVariable);
        Assert.Equal(Path.Combine(_dir, "model.gguf"), loaded.ModelPath);
    }

    [Fact]
    public void Defaults_apply_to_a_minimal_definition()
    {
        Write("""{"name":"m","model":{"endpoint":"http://127.0.0.1:8080/v1","name":"qwen"}}""");
        var d = AgentDefinitionLoader.Load(Path.Combine(_dir, "agent.json")).Definition;
        Assert.Equal(1, d.Sampling.Candidates);
        Assert.True(d.Grammar);
        Assert.Equal(AgentKit.Core.Prompts.PromptStyle.Full, d.PromptStyle);
        Assert.Equal(0, d.PlanningInterval);
        Assert.Empty(d.Tools);
    }

    [Theory]
    [InlineData("""{"name":"x","model":{"path":"m.gguf"},"max_stepz":3}""", "max_stepz")]
    [InlineData("""{"model":{"path":"m.gguf"}}""", "name")]
    [InlineData("""{"name":"x"}""", "model")]
    [InlineData("""{"name":"x","model":{}}""", "exactly one of")]
    [InlineData("""{"name":"x","model":{"endpoint":"localhost:8080"}}""", "absolute http")]
    [InlineData("""{"name":"x","model":{"endpoint":"http://h/v1"}}""", "model.name is required")]
    [InlineData("""{"name":"x","model":{"path":"m.gguf"},"sampling":{"candidates":0}}""", "sampling.candidates")]
    [InlineData("""{"name":"x","model":{"path":"m.gguf"},"max_steps":0}""", "max_steps")]
    [InlineData("""{"name":"x","model":{"path":"m.gguf"},"tools":["A","A"]}""", "twice")]
    [InlineData("""{"name":"bad name","model":{"path":"m.gguf"}}""", "name must")]
    [InlineData("""{"name":"x","model":{"path":"m.gguf"},"instructions_file":"missing.md"}""", "not found")]
    [InlineData("""{"name":"x",""", "invalid JSON")]
    [InlineData("""[1]""", "JSON object")]
    public void Invalid_definitions_explain_themselves(string json, string expected)
    {
        Write(json);
        var ex = Assert.Throws<InvalidDataException>(() => AgentDefinitionLoader.Load(_dir));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("agent.json", ex.Message);
    }

    [Fact]
    public void Unknown_prompt_style_is_reported()
    {
        Write("""{"name":"m","prompt_style":"tiny","model":{"path":"m.gguf"}}""");
        var ex = Assert.Throws<InvalidDataException>(() => AgentDefinitionLoader.Load(_dir));
        Assert.Contains("prompt_style", ex.Message);
    }

    [Fact]
    public void Missing_folder_or_file_is_reported()
    {
        Assert.Contains("not found", Assert.Throws<InvalidDataException>(() => AgentDefinitionLoader.Load(Path.Combine(_dir, "nope"))).Message);
        Assert.Contains("No agent.json", Assert.Throws<InvalidDataException>(() => AgentDefinitionLoader.Load(_dir)).Message);
    }

    [Fact]
    public void The_shipped_example_agent_loads()
    {
        var folder = Path.Combine(RepoRoot(), "agents", "example");
        var d = AgentDefinitionLoader.Load(folder).Definition;
        Assert.Equal("example", d.Name);
    }

    [Fact]
    public void The_paper_recipe_agent_loads_with_search_over_its_wiki_index_and_an_endpoint_model()
    {
        var loaded = AgentDefinitionLoader.Load(Path.Combine(RepoRoot(), "agents", "paper"));
        Assert.Equal("paper", loaded.Definition.Name);
        Assert.Equal(["Search"], loaded.Definition.Tools);
        Assert.Equal("http://127.0.0.1:8000/v1", loaded.Definition.Model.Endpoint);
        Assert.Null(loaded.ModelPath);
        Assert.Contains("Search", loaded.Definition.Instructions);
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AgentKit.sln")))
                return dir.FullName;
        throw new InvalidOperationException("Repository root not found.");
    }
}
