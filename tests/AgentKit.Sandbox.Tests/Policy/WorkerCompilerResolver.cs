using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace AgentKit.Sandbox.Tests.Policy;

/// <summary>
/// The policy tests need Roslyn in this process, but the test output must not carry a Roslyn of its own (the
/// worker's compiler stays in <c>sandbox-worker/</c>, see SandboxSetupTests). Roslyn is referenced for compiling
/// only, and loaded at run time from the worker's folder: the same package version, central package management.
/// </summary>
internal static class WorkerCompilerResolver
{
#pragma warning disable CA2255 // Must run before any test method that names a Roslyn type is compiled by the JIT.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Install() => AssemblyLoadContext.Default.Resolving += Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is null || !name.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)) return null;
        var path = Path.Combine(AppContext.BaseDirectory, "sandbox-worker", name.Name + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
