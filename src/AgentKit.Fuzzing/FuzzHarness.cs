using AgentKit.Fuzzing.Shared;

namespace AgentKit.Fuzzing;

/// <summary>How the target is called with one input. Use <see cref="BuiltIn"/> for the shipped parser adapters or <see cref="Static"/> for your own.</summary>
public sealed record FuzzHarness
{
    private FuzzHarness(HarnessSpec spec, string? packageId, IReadOnlyList<string> tokens, string name, IReadOnlyList<string>? alsoInstrument = null)
    {
        Spec = spec;
        PackageId = packageId;
        Tokens = tokens;
        Name = name;
        AlsoInstrument = alsoInstrument ?? [];
    }

    internal HarnessSpec Spec { get; }

    /// <summary>The harness name (a built-in adapter name or <c>Type.Method</c>).</summary>
    public string Name { get; }

    /// <summary>NuGet package the built-in adapter targets (null for user harnesses).</summary>
    public string? PackageId { get; }

    /// <summary>
    /// Packages of the target's family that hold the parsing code (e.g. Acornima for Jint): when the target is restored from
    /// NuGet they are instrumented with it, not merely copied. Empty for user harnesses.
    /// </summary>
    public IReadOnlyList<string> AlsoInstrument { get; }

    /// <summary>Dictionary tokens of the input language.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Names of the built-in adapters.</summary>
    public static IReadOnlyList<string> BuiltInNames => BuiltInHarnesses.All.Select(a => a.Name).ToList();

    /// <summary>The built-in adapter called <paramref name="name"/> (markdown, yaml, javascript, html, json, expression, graphql, liquid).</summary>
    /// <exception cref="ArgumentException">No such adapter.</exception>
    public static FuzzHarness BuiltIn(string name)
    {
        var adapter = BuiltInHarnesses.Find(name)
                      ?? throw new ArgumentException($"unknown built-in harness '{name}'; known: {string.Join(", ", BuiltInNames)} (or give Namespace.Type.Method of your own static harness)", nameof(name));
        return new FuzzHarness(adapter.Spec, adapter.PackageId, adapter.Tokens, adapter.Name, adapter.AlsoInstrument);
    }

    /// <summary>
    /// A user harness: a static method <c>Namespace.Type.Method</c> taking <c>string</c> or <c>ReadOnlySpan&lt;byte&gt;</c>.
    /// Every exception it throws, except those in <paramref name="expectedExceptions"/> (full type names), is a crash.
    /// </summary>
    public static FuzzHarness Static(string qualifiedMethod, IReadOnlyList<string>? expectedExceptions = null, IReadOnlyList<string>? tokens = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(qualifiedMethod);
        var dot = qualifiedMethod.LastIndexOf('.');
        if (dot <= 0 || dot == qualifiedMethod.Length - 1)
            throw new ArgumentException($"harness '{qualifiedMethod}' must be Namespace.Type.Method (a public static method taking string or ReadOnlySpan<byte>)", nameof(qualifiedMethod));
        return new FuzzHarness(new HarnessSpec(qualifiedMethod[..dot], qualifiedMethod[(dot + 1)..], false, "auto", expectedExceptions ?? []), null, tokens ?? [], qualifiedMethod);
    }

    /// <summary><see cref="BuiltIn"/> when <paramref name="nameOrMethod"/> names an adapter, else <see cref="Static"/>.</summary>
    public static FuzzHarness Parse(string nameOrMethod) =>
        BuiltInHarnesses.Find(nameOrMethod) is not null ? BuiltIn(nameOrMethod) : Static(nameOrMethod);

    /// <summary>
    /// A harness as a command line gives it: <see cref="Parse(string)"/>, or with <paramref name="expectedExceptions"/>
    /// (comma-separated full type names of normal rejections) a <see cref="Static"/> user harness.
    /// </summary>
    public static FuzzHarness Parse(string nameOrMethod, string? expectedExceptions) => expectedExceptions is null
        ? Parse(nameOrMethod)
        : Static(nameOrMethod, expectedExceptions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
