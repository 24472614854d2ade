using System.Collections.Immutable;
using AgentKit.Sandbox.Scripting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentKit.Sandbox.Compilation;

/// <summary>Compiler settings shared by every snippet: parse options, default usings, the referenced assemblies.</summary>
internal static class SnippetCompiler
{
    /// <summary>The file name compile errors and stack frames report for snippet code.</summary>
    public const string SnippetPath = SnippetSource.Path;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Script);

    /// <summary>Namespaces every snippet can use unqualified, like a notebook's implicit imports.</summary>
    public static readonly ImmutableArray<string> DefaultUsings =
    [
        "System", "System.Collections.Generic", "System.Linq", "System.Text", "System.Text.RegularExpressions",
        "System.Globalization", "System.Text.Json",
    ];

    /// <summary>
    /// Debug code generation: runtime errors then carry the snippet's line (optimized code loses it for faults
    /// such as an index out of range). Hot loops in agent snippets are rare; the BCL they call is optimized anyway.
    /// </summary>
    public static readonly CSharpCompilationOptions Options = new(
        OutputKind.DynamicallyLinkedLibrary,
        usings: DefaultUsings,
        optimizationLevel: OptimizationLevel.Debug,
        allowUnsafe: false,
        concurrentBuild: false,
        // No resolvers: #r and #load cannot pull anything in (the policy also refuses them by name).
        metadataReferenceResolver: null,
        sourceReferenceResolver: null);

    /// <summary>
    /// Framework assemblies the compiler sees. Denied ones are listed too, on purpose: code that names
    /// <c>File</c> or <c>Process</c> should get a policy error naming the symbol, not "type not found".
    /// </summary>
    private static readonly string[] FrameworkAssemblies =
    [
        "System.Private.CoreLib", "System.Runtime", "System.Collections", "System.Collections.Concurrent", "System.Linq",
        "System.Text.RegularExpressions", "System.Runtime.Numerics", "System.Text.Json", "System.Text.Encodings.Web",
        "System.Console", "System.Memory", "System.ObjectModel", "System.Private.Uri", "System.Text.Encoding.Extensions",
        "System.Diagnostics.Process", "System.ComponentModel.Primitives", "System.Net.Http", "System.Net.Sockets",
        "System.Net.Primitives", "System.Net.NameResolution", "System.Net.Requests", "System.Net.Ping", "System.IO.Pipes", "System.Threading", "System.Threading.Thread", "System.Threading.ThreadPool",
        "System.Reflection.Emit", "System.Runtime.InteropServices", "System.Runtime.Loader", "System.Linq.Expressions",
        "System.IO.FileSystem.Watcher", "System.Runtime.Intrinsics", "System.Collections.NonGeneric",
    ];

    /// <summary>Metadata references, created once per process (Roslyn then caches their symbols).</summary>
    public static readonly ImmutableArray<MetadataReference> References = CreateReferences();

    private static ImmutableArray<MetadataReference> CreateReferences()
    {
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var name in FrameworkAssemblies)
        {
            var path = Path.Combine(frameworkDirectory, name + ".dll");
            if (File.Exists(path)) references.Add(MetadataReference.CreateFromFile(path));
        }
        // The globals type (FinalAnswer, tool calls) lives in AgentKit.Sandbox.Scripting, which the worker loads too.
        references.Add(MetadataReference.CreateFromFile(typeof(ScriptGlobals).Assembly.Location));
        return references.ToImmutable();
    }
}
