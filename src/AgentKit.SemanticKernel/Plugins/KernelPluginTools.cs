using AgentKit.Abstractions.Tools;
using Microsoft.SemanticKernel;

namespace AgentKit.SemanticKernel.Plugins;

/// <summary>
/// Turns Semantic Kernel plugins into agent tools, so agent code calls a kernel function like any other tool
/// (<c>var forecast = GetForecast("Lima", 3);</c>).
/// </summary>
/// <remarks>
/// <para>Each function becomes one tool named after the function (its plugin name is not part of the name;
/// two plugins with a function of the same name cannot be given to one agent). The description is the
/// function's description.</para>
/// <para>Type mapping (kernel function CLR type → C# type in agent code):</para>
/// <list type="table">
/// <item><term><c>string</c>, <c>int</c>, <c>long</c>, <c>double</c>, <c>bool</c></term><description>the same type.</description></item>
/// <item><term><c>T?</c> of those</term><description><c>T?</c>.</description></item>
/// <item><term><c>T[]</c>, <c>List&lt;T&gt;</c>, <c>IList&lt;T&gt;</c>, <c>IReadOnlyList&lt;T&gt;</c>, <c>IEnumerable&lt;T&gt;</c> of those</term><description><c>T[]</c>.</description></item>
/// <item><term>parameter without a CLR type (prompt functions)</term><description><c>string</c>.</description></item>
/// <item><term>any other parameter type</term><description>not supported: <see cref="FromPlugin(KernelPlugin, Kernel?)"/> throws <see cref="NotSupportedException"/>.</description></item>
/// <item><term>result: <c>void</c>, <c>Task</c>, <c>ValueTask</c></term><description><c>void</c>.</description></item>
/// <item><term>result: <c>Task&lt;T&gt;</c>, <c>ValueTask&lt;T&gt;</c></term><description>as <c>T</c>.</description></item>
/// <item><term>result: any other type (records, dictionaries, chat content)</term><description><c>string</c>: the value as JSON
/// (camelCase), or the text of chat content; with <see cref="KernelPluginToolOptions.TypedRecordResults"/>, a record of mappable
/// properties (or an array or list of one) is that record, declared in the sandbox.</description></item>
/// </list>
/// <para>Optional parameters keep their default as a C# literal. An argument the agent passes as null is left
/// out, so the function's own default applies. An exception thrown by the function reaches the agent as a
/// <see cref="ToolException"/> with its message.</para>
/// </remarks>
public static class KernelPluginTools
{
    /// <summary>One tool per function of <paramref name="plugin"/>, invoked on <paramref name="kernel"/> (default: an empty kernel).</summary>
    /// <exception cref="NotSupportedException">A function has a parameter whose type has no mapping, or a name that is not a C# identifier.</exception>
    public static IReadOnlyList<IAgentTool> FromPlugin(KernelPlugin plugin, Kernel? kernel = null) => FromPlugin(plugin, kernel, KernelPluginToolOptions.Default);

    /// <summary>As <see cref="FromPlugin(KernelPlugin, Kernel?)"/>, mapped as <paramref name="options"/> say (e.g. typed record results).</summary>
    /// <exception cref="NotSupportedException">A function has a parameter whose type has no mapping, or a name that is not a C# identifier.</exception>
    public static IReadOnlyList<IAgentTool> FromPlugin(KernelPlugin plugin, Kernel? kernel, KernelPluginToolOptions options)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(options);
        kernel ??= new Kernel();
        return [.. plugin.Select(function => FromFunction(function, kernel, options))];
    }

    /// <summary>A tool that invokes <paramref name="function"/> on <paramref name="kernel"/> (default: an empty kernel).</summary>
    /// <exception cref="NotSupportedException">The function cannot be mapped (see the type table on <see cref="KernelPluginTools"/>).</exception>
    public static IAgentTool FromFunction(KernelFunction function, Kernel? kernel = null) => FromFunction(function, kernel, KernelPluginToolOptions.Default);

    /// <summary>As <see cref="FromFunction(KernelFunction, Kernel?)"/>, mapped as <paramref name="options"/> say (e.g. typed record results).</summary>
    /// <exception cref="NotSupportedException">The function cannot be mapped (see the type table on <see cref="KernelPluginTools"/>).</exception>
    public static IAgentTool FromFunction(KernelFunction function, Kernel? kernel, KernelPluginToolOptions options)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(options);
        var metadata = function.Metadata;
        var where = string.IsNullOrEmpty(metadata.PluginName) ? metadata.Name : $"{metadata.PluginName}.{metadata.Name}";
        if (!IsIdentifier(metadata.Name))
            throw new NotSupportedException($"Kernel function {where}: its name is not a C# identifier, so agent code cannot call it.");

        var parameters = new List<ToolParameter>();
        var clrTypes = new List<Type>();
        foreach (var parameter in metadata.Parameters)
        {
            var clrType = parameter.ParameterType ?? typeof(string);
            var typeName = ToolTypeMapping.ForParameter(clrType)
                ?? throw new NotSupportedException(
                    $"Kernel function {where}: parameter '{parameter.Name}' has type {clrType.Name}, which agent tools cannot take " +
                    "(supported: string, int, long, double, bool, nullable and arrays of those).");
            var defaultValue = parameter.IsRequired ? null : ToolTypeMapping.Literal(parameter.DefaultValue, typeName);
            parameters.Add(new ToolParameter(parameter.Name, typeName, parameter.Description ?? "", defaultValue));
            clrTypes.Add(clrType);
        }
        CheckOptionalParametersComeLast(where, parameters);

        var (returnType, asJson) = ToolTypeMapping.ForReturn(metadata.ReturnParameter.ParameterType);
        string? declarations = null;
        if (asJson && options.TypedRecordResults && ToolTypeMapping.ForRecordReturn(metadata.ReturnParameter.ParameterType) is { } record)
            (returnType, declarations, asJson) = (record.TypeName, record.Declaration, false);
        var description = metadata.Description ?? "";
        if (asJson)
            description = (description + " Returns JSON text.").Trim();
        var definition = new ToolDefinition(metadata.Name, description, parameters, returnType, TypeDeclarations: declarations);
        return new KernelFunctionTool(function, kernel ?? new Kernel(), definition, [.. clrTypes], asJson);
    }

    private static void CheckOptionalParametersComeLast(string where, List<ToolParameter> parameters)
    {
        var firstOptional = parameters.FindIndex(p => p.DefaultValue is not null);
        if (firstOptional >= 0 && parameters.Skip(firstOptional).Any(p => p.DefaultValue is null))
            throw new NotSupportedException($"Kernel function {where}: a required parameter follows an optional one, which a C# signature cannot express.");
    }

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
}
