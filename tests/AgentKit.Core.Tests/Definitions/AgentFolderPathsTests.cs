using AgentKit.Core.Definitions;

namespace AgentKit.Core.Tests.Definitions;

/// <summary>Every file field of agent.json stays inside the agent folder unless the loader is told otherwise.</summary>
public sealed class AgentFolderPathsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("agentkit-confine-").FullName;
    private readonly string _agent;
    private readonly string _outside;

    public AgentFolderPathsTests()
    {
        _agent = Directory.CreateDirectory(Path.Combine(_root, "agent")).FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;
        File.WriteAllText(Path.Combine(_outside, "secret.md"), "a secret");
        File.WriteAllText(Path.Combine(_outside, "corpus.jsonl"), "");
        File.WriteAllText(Path.Combine(_agent, "prompt.md"), "Answer.");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>A definition with one file field set to <paramref name="value"/>.</summary>
    private void WriteAgent(string field, string value)
    {
        var json = field switch
        {
            "instructions_file" => $$$"""{"name":"a","instructions_file":{{{Json(value)}}},"model":{"path":"m.gguf"}}""",
            "model.path" => $$$"""{"name":"a","model":{"path":{{{Json(value)}}}}}""",
            "tool_settings.Search.corpus" => $$$"""{"name":"a","tools":["Search"],"tool_settings":{"Search":{"corpus":{{{Json(value)}}}}},"model":{"path":"m.gguf"}}""",
            "tool_settings.Mentions.index" => $$$"""{"name":"a","tools":["Mentions"],"tool_settings":{"Mentions":{"index":{{{Json(value)}}}}},"model":{"path":"m.gguf"}}""",
            _ => throw new ArgumentOutOfRangeException(nameof(field)),
        };
        File.WriteAllText(Path.Combine(_agent, "agent.json"), json);
    }

    public static TheoryData<string, string> Fields => new()
    {
        { "instructions_file", "secret.md" },
        { "model.path", "m.gguf" },
        { "tool_settings.Search.corpus", "corpus.jsonl" },
        { "tool_settings.Mentions.index", "index" },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Dot_dot_out_of_the_folder_is_refused_naming_the_field(string field, string file)
    {
        WriteAgent(field, $"../elsewhere/{file}");
        var ex = Assert.Throws<InvalidDataException>(() => AgentDefinitionLoader.Load(_agent));
        Assert.Contains($"agent.json: {field} \"../elsewhere/{file}\" goes up out of the agent folder with '..'", ex.Message);
        Assert.Contains("--allow-outside-paths", ex.Message);
        Assert.DoesNotContain("\n", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void An_absolute_path_outside_the_folder_is_refused(string field, string file)
    {
        var path = Path.Combine(_outside, file);
        WriteAgent(field, path);
        var ex = Assert.Throws<InvalidDataException>(() => AgentDefinitionLoader.Load(_agent));
        Assert.Contains($"{field} \"{path}\" is an absolute path outside the agent folder", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void A_symbolic_link_to_a_file_outside_is_refused(string field, string file)
    {
        var target = Path.Combine(_outside, file);
        if (!File.Exists(target))
            Directory.CreateDirectory(target);
        var link = Path.Combine(_agent, "link-" + file);
        if (File.Exists(target))
            File.CreateSymbolicLink(link, target);
        else
            Directory.CreateSymbolicLink(link, target);
        WriteAgent(field, "link-" + file);
        var ex = Assert.Throws<InvalidDataException>(() => AgentDefinitionLoader.Load(_agent));
        Assert.Contains($"{field} \"link-{file}\" goes through a symbolic link to {target}, outside the agent folder", ex.Message);
    }

    [Fact]
    public void A_file_under_a_linked_folder_outside_is_refused_even_before_it_exists()
    {
        Directory.CreateSymbolicLink(Path.Combine(_agent, "data"), _outside);
        WriteAgent("tool_settings.Mentions.index", "data/not-built-yet");
        var ex = Assert.Throws<InvalidDataException>(() => AgentDefinitionLoader.Load(_agent));
        Assert.Contains(Path.Combine(_outside, "not-built-yet"), ex.Message);
    }

    [Fact]
    public void The_instructions_file_outside_is_refused_before_it_is_read()
    {
        WriteAgent("instructions_file", "../elsewhere/secret.md");
        var ex = Assert.Throws<InvalidDataException>(() => AgentDefinitionLoader.Load(_agent));
        Assert.DoesNotContain("a secret", ex.Message);
    }

    [Fact]
    public void A_loop_of_links_is_a_clear_error()
    {
        File.CreateSymbolicLink(Path.Combine(_agent, "a"), Path.Combine(_agent, "b"));
        File.CreateSymbolicLink(Path.Combine(_agent, "b"), Path.Combine(_agent, "a"));
        WriteAgent("model.path", "a");
        var ex = Assert.Throws<InvalidDataException>(() => AgentDefinitionLoader.Load(_agent));
        Assert.Contains("model.path \"a\": its symbolic links cannot be followed", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Fields))]
    public void The_option_allows_paths_outside(string field, string file)
    {
        WriteAgent(field, $"../elsewhere/{file}");
        var loaded = AgentDefinitionLoader.Load(_agent, new AgentLoadOptions { AllowPathsOutsideAgentFolder = true });
        Assert.Equal("a", loaded.Definition.Name);
        if (field == "instructions_file")
            Assert.Equal("a secret", loaded.Definition.Instructions);
        if (field == "model.path")
            Assert.Equal(Path.Combine(_outside, file), loaded.ModelPath);
    }

    [Fact]
    public void Paths_that_stay_inside_are_accepted_however_written()
    {
        Directory.CreateDirectory(Path.Combine(_agent, "sub"));
        File.WriteAllText(Path.Combine(_agent, "sub", "p.md"), "Inside.");
        Directory.CreateSymbolicLink(Path.Combine(_agent, "alias"), Path.Combine(_agent, "sub")); // a link within the folder
        foreach (var value in new[] { "sub/../prompt.md", Path.Combine(_agent, "prompt.md"), "./sub/p.md", "alias/p.md" })
        {
            WriteAgent("instructions_file", value);
            Assert.NotEmpty(AgentDefinitionLoader.Load(_agent).Definition.Instructions);
        }
    }

    [Fact]
    public void An_agent_folder_reached_through_a_link_still_holds_its_files()
    {
        var link = Path.Combine(_root, "agent-link");
        Directory.CreateSymbolicLink(link, _agent);
        WriteAgent("instructions_file", "prompt.md");
        Assert.Equal("Answer.", AgentDefinitionLoader.Load(link).Definition.Instructions);
    }

    [Theory]
    [InlineData("example")]
    [InlineData("atlas")]
    public void The_shipped_agents_keep_their_files_inside(string name)
    {
        var folder = Path.Combine(AgentDefinitionLoaderTests.RepoRoot(), "agents", name);
        var loaded = AgentDefinitionLoader.Load(folder);
        Assert.StartsWith(loaded.Directory, loaded.ModelPath);
    }

    [Theory]
    [InlineData("/a/b", "/a/b", true)]
    [InlineData("/a/b", "/a/b/c", true)]
    [InlineData("/a/b/", "/a/b/c", true)]
    [InlineData("/a/b", "/a/bc", false)]
    [InlineData("/a/b", "/a", false)]
    [InlineData("/", "/etc", true)]
    public void Inside_means_the_folder_or_below_it(string folder, string path, bool inside) =>
        Assert.Equal(inside, AgentFolderPaths.IsInside(folder, path));
}
