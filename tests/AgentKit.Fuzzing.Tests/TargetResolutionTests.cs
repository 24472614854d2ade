namespace AgentKit.Fuzzing.Tests;

public sealed class TargetResolutionTests
{
    [Fact]
    public async Task Local_assembly_paths_resolve_to_a_local_target_and_a_missing_one_is_refused()
    {
        var target = await FuzzTarget.ResolveAsync(ToyTarget.ParserPath, ToyTarget.Harness, ToyTarget.Cache);

        Assert.Equal([ToyTarget.ParserPath], target.Assemblies);
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => FuzzTarget.ResolveAsync($"{ToyTarget.ParserPath},/nonexistent/x.dll", ToyTarget.Harness, ToyTarget.Cache));
        Assert.Equal("target assembly not found: /nonexistent/x.dll", missing.Message);
    }

    [Theory]
    [InlineData("Markdig@")]
    [InlineData("@0.31.0")]
    public async Task A_package_reference_without_id_or_version_is_refused_before_any_restore(string spec) =>
        Assert.Contains("must be Id@Version", (await Assert.ThrowsAsync<ArgumentException>(() => FuzzTarget.ResolveAsync(spec, ToyTarget.Harness, ToyTarget.Cache))).Message);

    [Fact]
    public void A_harness_with_expected_exceptions_is_a_user_harness_that_names_them()
    {
        var harness = FuzzHarness.Parse("My.Parser.Parse", " System.FormatException , System.ArgumentException");

        Assert.Null(harness.PackageId);
        Assert.Equal(["System.FormatException", "System.ArgumentException"], harness.Spec.ExpectedExceptions);
        Assert.Equal("markdown", FuzzHarness.Parse("markdown", null).Name);
        Assert.Throws<ArgumentException>(() => FuzzHarness.Parse("NoDot", "System.FormatException"));
    }
}
