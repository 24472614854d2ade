using System.Text.Json;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Tools;
using Microsoft.SemanticKernel;

namespace AgentKit.SemanticKernel.Plugins;

/// <summary>An <see cref="IAgentTool"/> that invokes one <see cref="KernelFunction"/> on a kernel.</summary>
internal sealed class KernelFunctionTool : IAgentTool
{
    private static readonly JsonSerializerOptions s_resultJson = new(JsonSerializerDefaults.Web);

    private readonly KernelFunction _function;
    private readonly Kernel _kernel;
    private readonly Type[] _parameterTypes;
    private readonly bool _resultAsJsonString;

    public KernelFunctionTool(KernelFunction function, Kernel kernel, ToolDefinition definition, Type[] parameterTypes, bool resultAsJsonString)
    {
        _function = function;
        _kernel = kernel;
        Definition = definition;
        _parameterTypes = parameterTypes;
        _resultAsJsonString = resultAsJsonString;
    }

    public ToolDefinition Definition { get; }

    public async ValueTask<JsonNode?> InvokeAsync(IReadOnlyList<JsonElement> arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var parameters = Definition.Parameters;
        if (arguments.Count > parameters.Count)
            throw new ToolException($"{Definition.Name} takes {parameters.Count} argument(s), got {arguments.Count}.");

        var kernelArguments = new KernelArguments();
        for (var i = 0; i < arguments.Count; i++)
        {
            // JSON null means "not given": the function's own default applies.
            if (arguments[i].ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
                continue;
            kernelArguments[parameters[i].Name] = Convert(arguments[i], i);
        }

        FunctionResult result;
        try
        {
            result = await _function.InvokeAsync(_kernel, kernelArguments, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ToolException($"{Definition.Name} failed: {ex.Message}", ex);
        }
        return Render(result.GetValue<object>());
    }

    private object? Convert(JsonElement argument, int index)
    {
        var parameter = Definition.Parameters[index];
        try
        {
            return argument.Deserialize(_parameterTypes[index]);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new ToolException($"{Definition.Name}: parameter {parameter.Name} expects {parameter.Type}, got {Shorten(argument.GetRawText())}.", ex);
        }
    }

    private JsonNode? Render(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        // Prompt functions return chat content; its text is what the agent wants.
        KernelContent content => JsonValue.Create(content.ToString()),
        _ when _resultAsJsonString => JsonValue.Create(JsonSerializer.Serialize(value, value.GetType(), s_resultJson)),
        _ => JsonSerializer.SerializeToNode(value, value.GetType()),
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
