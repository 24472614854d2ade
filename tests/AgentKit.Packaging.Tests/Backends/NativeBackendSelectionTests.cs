namespace AgentKit.Packaging.Tests.Backends;

/// <summary>
/// -p:AgentKitLlamaBackend and -p:AgentKitTorchBackend swap the native packages at build time. The CUDA packages
/// are not restored here, so these tests check the package graph evaluation selects: the right ids, each at a
/// central version matching its managed package, and a CPU default identical to naming Cpu explicitly.
/// </summary>
public sealed class NativeBackendSelectionTests
{
    private const string Models = "src/AgentKit.Models/AgentKit.Models.csproj";
    private const string Training = "src/AgentKit.Training/AgentKit.Training.csproj";
    private const string FuzzingTests = "tests/AgentKit.Fuzzing.Tests/AgentKit.Fuzzing.Tests.csproj";

    [Theory]
    [InlineData(null, "LLamaSharp.Backend.Cpu", "LLamaSharp.Backend.Cuda12")]
    [InlineData("Cpu", "LLamaSharp.Backend.Cpu", "LLamaSharp.Backend.Cuda12")]
    [InlineData("Cuda12", "LLamaSharp.Backend.Cuda12", "LLamaSharp.Backend.Cpu")]
    public async Task Llama_backend_is_the_chosen_package_at_the_LLamaSharp_version(string? backend, string expected, string absent)
    {
        var packages = await PackageGraph.EvaluateAsync(Models, backend is null ? [] : [$"AgentKitLlamaBackend={backend}"]);

        var llamaSharp = packages.Single("LLamaSharp");
        Assert.NotNull(llamaSharp.Version);
        Assert.Equal(llamaSharp.Version, packages.Single(expected).Version);
        Assert.DoesNotContain(packages, p => p.Id == absent);
    }

    [Theory]
    [InlineData(null, "libtorch-cpu-linux-x64", "libtorch-cuda-12.8-linux-x64")]
    [InlineData("Cpu", "libtorch-cpu-linux-x64", "libtorch-cuda-12.8-linux-x64")]
    [InlineData("Cuda", "libtorch-cuda-12.8-linux-x64", "libtorch-cpu-linux-x64")]
    public async Task Torch_backend_is_the_chosen_libtorch_at_the_version_TorchSharp_binds_to(string? backend, string expected, string absent)
    {
        var packages = await PackageGraph.EvaluateAsync(Training, backend is null ? [] : [$"AgentKitTorchBackend={backend}"]);

        Assert.Equal("0.107.0", packages.Single("TorchSharp").Version);
        Assert.Equal("2.10.0", packages.Single(expected).Version);
        Assert.DoesNotContain(packages, p => p.Id == absent);
    }

    [Fact]
    public async Task The_cpu_default_is_the_package_graph_of_naming_cpu()
    {
        foreach (var project in new[] { Models, Training })
        {
            var byDefault = await PackageGraph.EvaluateAsync(project);
            var named = await PackageGraph.EvaluateAsync(project, "AgentKitLlamaBackend=Cpu", "AgentKitTorchBackend=Cpu");
            Assert.Equal(named, byDefault);
            Assert.All(byDefault, p => Assert.DoesNotContain("cuda", p.Id, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Theory]
    [InlineData(null, "libtorch-cpu-linux-x64")]
    [InlineData("Cuda", "libtorch-cuda-12.8-linux-x64")]
    public async Task Fuzzing_tests_keep_whichever_libtorch_is_chosen_out_of_their_output(string? backend, string libtorch)
    {
        var packages = await PackageGraph.EvaluateAsync(FuzzingTests, backend is null ? [] : [$"AgentKitTorchBackend={backend}"]);

        Assert.Equal("all", packages.Single(libtorch).ExcludeAssets);
    }

    [Theory]
    [InlineData("AgentKitLlamaBackend=Cuda11", "AgentKitLlamaBackend must be Cpu or Cuda12, not 'Cuda11'.")]
    [InlineData("AgentKitTorchBackend=Rocm", "AgentKitTorchBackend must be Cpu or Cuda, not 'Rocm'.")]
    public async Task An_unknown_backend_fails_restore_with_a_one_line_reason(string property, string message)
    {
        var run = await DotnetCli.RunAsync(RepoPaths.Root,
            ["msbuild", RepoPaths.Project(Models), "-t:CollectPackageReferences", "-p:" + property, "-nologo", "-v:q"], TimeSpan.FromMinutes(2));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.Output + run.Error);
    }
}
