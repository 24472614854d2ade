using System.Text.Json;
using AgentKit.Abstractions.Tools;
using AgentKit.SemanticKernel.Plugins;
using AgentKit.SemanticKernel.Tests.Support;
using Microsoft.SemanticKernel;

namespace AgentKit.SemanticKernel.Tests.Plugins;

public sealed class KernelPluginToolsTests
{
    private static readonly KernelPlugin s_plugin = KernelPluginFactory.CreateFromObject(new CalendarPlugin(), "Calendar");

    private static IAgentTool Tool(string name, Kernel? kernel = null) =>
        KernelPluginTools.FromPlugin(s_plugin, kernel).Single(t => t.Definition.Name == name);

    private static Task<System.Text.Json.Nodes.JsonNode?> InvokeAsync(IAgentTool tool, params object?[] args) =>
        tool.InvokeAsync([.. args.Select(a => JsonSerializer.SerializeToElement(a))], CancellationToken.None).AsTask();

    [Theory]
    [InlineData("AddDays", "string AddDays(string date, int days = 1)")]
    [InlineData("Sum", "long Sum(long[] values)")]
    [InlineData("Mean", "double Mean(double[] values)")]
    [InlineData("IsWeekend", "bool IsWeekend(string date)")]
    [InlineData("Split", "string[] Split(string text, string separator = \",\")")]
    [InlineData("GetForecast", "string GetForecast(string city, int days = 3)")]
    [InlineData("Echo", "string Echo(string text)")]
    [InlineData("Fail", "void Fail(string why)")]
    [InlineData("KernelValue", "string KernelValue(string key)")]
    public void Functions_map_to_csharp_signatures(string name, string signature)
    {
        Assert.Equal(signature, Tool(name).Definition.Signature);
    }

    [Fact]
    public void Descriptions_come_from_the_plugin()
    {
        var definition = Tool("AddDays").Definition;

        Assert.Equal("Adds days to an ISO date.", definition.Description);
        Assert.Equal("ISO date, yyyy-MM-dd", definition.Parameters[0].Description);
        Assert.EndsWith("Returns JSON text.", Tool("GetForecast").Definition.Description);
    }

    [Fact]
    public async Task Invokes_the_real_function_with_converted_arguments()
    {
        Assert.Equal("2024-03-01", (await InvokeAsync(Tool("AddDays"), "2024-02-28", 2))!.GetValue<string>());
        Assert.Equal(6L, (await InvokeAsync(Tool("Sum"), new long[] { 1, 2, 3 }))!.GetValue<long>());
        Assert.Equal(2.5, (await InvokeAsync(Tool("Mean"), new[] { 2.0, 3.0 }))!.GetValue<double>());
        Assert.True((await InvokeAsync(Tool("IsWeekend"), "2024-03-02"))!.GetValue<bool>());
        Assert.Equal("hi", (await InvokeAsync(Tool("Echo"), "hi"))!.GetValue<string>());
        Assert.Equal(["a", "b"], (await InvokeAsync(Tool("Split"), "a;b", ";"))!.Deserialize<string[]>()!);
    }

    [Fact]
    public async Task Omitted_or_null_optional_arguments_use_the_function_default()
    {
        Assert.Equal("2024-02-29", (await InvokeAsync(Tool("AddDays"), "2024-02-28"))!.GetValue<string>());
        Assert.Equal("2024-02-29", (await InvokeAsync(Tool("AddDays"), "2024-02-28", null))!.GetValue<string>());
    }

    [Fact]
    public async Task Complex_results_are_rendered_as_a_json_string()
    {
        var node = await InvokeAsync(Tool("GetForecast"), "Lima", 2);

        var json = node!.GetValue<string>();
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("Lima", doc.RootElement.GetProperty("city").GetString());
        Assert.Equal([20.5, 21.5], doc.RootElement.GetProperty("highsCelsius").Deserialize<double[]>()!);
    }

    [Fact]
    public async Task Typed_record_results_declare_the_record_and_return_its_fields()
    {
        var tools = KernelPluginTools.FromPlugin(s_plugin, null, new KernelPluginToolOptions { TypedRecordResults = true });
        var forecast = tools.Single(t => t.Definition.Name == "GetForecast");

        Assert.Equal("Forecast GetForecast(string city, int days = 3)", forecast.Definition.Signature);
        Assert.Equal("public record Forecast(string City, int Days, double[] HighsCelsius);", forecast.Definition.TypeDeclarations);
        Assert.DoesNotContain("JSON", forecast.Definition.Description);
        var node = await InvokeAsync(forecast, "Lima", 2);
        Assert.Equal("Lima", node!["City"]!.GetValue<string>());
        Assert.Equal([20.5, 21.5], node["HighsCelsius"]!.AsArray().Select(v => v!.GetValue<double>()));
        // Scalars keep their mapping; a list of records is an array of the record.
        Assert.Equal("long Sum(long[] values)", tools.Single(t => t.Definition.Name == "Sum").Definition.Signature);
        var list = KernelPluginTools.FromFunction(
            KernelFunctionFactory.CreateFromMethod(() => new List<Forecast> { new("Quito", 1, [14]) }, "Forecasts"), null, new KernelPluginToolOptions { TypedRecordResults = true });
        Assert.Equal("Forecast[] Forecasts()", list.Definition.Signature);
        Assert.Equal("Quito", (await InvokeAsync(list))![0]!["City"]!.GetValue<string>());
    }

    [Fact]
    public async Task Void_function_returns_null()
    {
        var tool = KernelPluginTools.FromFunction(KernelFunctionFactory.CreateFromMethod((string s) => { }, "Noop"));

        Assert.Equal("void Noop(string s)", tool.Definition.Signature);
        Assert.Null(await InvokeAsync(tool, "x"));
    }

    [Fact]
    public async Task Function_errors_reach_the_agent_as_tool_errors()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => InvokeAsync(Tool("Fail"), "disk on fire"));

        Assert.Contains("Fail failed", ex.Message);
        Assert.Contains("disk on fire", ex.Message);
    }

    [Theory]
    [InlineData("\"soon\"", "parameter days expects int")]
    [InlineData("2.5", "parameter days expects int")]
    public async Task Wrongly_typed_arguments_are_tool_errors(string daysJson, string expected)
    {
        var args = new[] { JsonSerializer.SerializeToElement("2024-01-01"), JsonDocument.Parse(daysJson).RootElement };

        var ex = await Assert.ThrowsAsync<ToolException>(() => Tool("AddDays").InvokeAsync(args, CancellationToken.None).AsTask());

        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public async Task Too_many_arguments_are_a_tool_error()
    {
        var ex = await Assert.ThrowsAsync<ToolException>(() => InvokeAsync(Tool("Echo"), "a", "b"));
        Assert.Contains("takes 1 argument(s), got 2", ex.Message);
    }

    [Fact]
    public async Task Functions_run_on_the_given_kernel()
    {
        var kernel = new Kernel();
        kernel.Data["region"] = "Andes";

        Assert.Equal("Andes", (await InvokeAsync(Tool("KernelValue", kernel), "region"))!.GetValue<string>());
    }

    [Fact]
    public void Unsupported_parameter_types_are_refused_with_an_explanation()
    {
        var plugin = KernelPluginFactory.CreateFromObject(new UnsupportedPlugin(), "Clock");

        var ex = Assert.Throws<NotSupportedException>(() => KernelPluginTools.FromPlugin(plugin));

        Assert.Contains("Clock.At", ex.Message);
        Assert.Contains("DateTime", ex.Message);
    }
}
