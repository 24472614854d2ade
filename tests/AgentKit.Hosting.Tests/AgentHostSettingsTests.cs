namespace AgentKit.Hosting.Tests;

public sealed class AgentHostSettingsTests
{
    public static TheoryData<AgentHostSettings, string> Inconsistent => new()
    {
        { new AgentHostSettings { AgentFolder = " " }, "AgentFolder" },
        { new AgentHostSettings { AgentFolder = "a", ModelPath = "m.gguf", Endpoint = "http://127.0.0.1:1/v1", ModelName = "m" }, "not both" },
        { new AgentHostSettings { AgentFolder = "a", Endpoint = "http://127.0.0.1:1/v1" }, "model name" },
        { new AgentHostSettings { AgentFolder = "a", Endpoint = "not a url", ModelName = "m" }, "absolute URL" },
        { new AgentHostSettings { AgentFolder = "a", ModelName = "m" }, "only applies with an endpoint" },
        { new AgentHostSettings { AgentFolder = "a", Candidates = 65 }, "candidates must be between 1 and 64, got 65" },
        { new AgentHostSettings { AgentFolder = "a", Temperature = float.NaN }, "temperature" },
        { new AgentHostSettings { AgentFolder = "a", MaxSteps = 0 }, "max steps" },
        { new AgentHostSettings { AgentFolder = "a", TimeoutMs = 0 }, "time limit" },
        { new AgentHostSettings { AgentFolder = "a", MemoryMb = 64 }, "at least 128 MiB" },
    };

    [Theory]
    [MemberData(nameof(Inconsistent))]
    public void Inconsistent_settings_are_named(AgentHostSettings settings, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => settings.Validate());
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_teacher_endpoint_takes_the_models_place_and_refuses_a_second_model()
    {
        var teacher = new AgentHostSettings { AgentFolder = "a", Candidates = 4 }.WithTeacher("http://127.0.0.1:1/v1", "big");

        Assert.Equal(("http://127.0.0.1:1/v1", "big", 4), (teacher.Endpoint, teacher.ModelName, teacher.Candidates));
        Assert.Contains("not both", Assert.Throws<ArgumentException>(() => new AgentHostSettings { AgentFolder = "a", ModelPath = "m.gguf" }.WithTeacher("http://127.0.0.1:1/v1", "big")).Message);
        Assert.Contains("absolute URL", Assert.Throws<ArgumentException>(() => new AgentHostSettings { AgentFolder = "a" }.WithTeacher("relative", "big")).Message);
        Assert.Contains("model name", Assert.Throws<ArgumentException>(() => new AgentHostSettings { AgentFolder = "a" }.WithTeacher("http://127.0.0.1:1/v1", " ")).Message);
    }

    [Fact]
    public async Task Opening_refuses_inconsistent_settings_before_loading_anything()
    {
        var settings = new AgentHostSettings { AgentFolder = "no-such-folder", Candidates = 0 };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => AgentHost.OpenAsync(settings));

        Assert.Contains("candidates", error.Message);
    }
}
