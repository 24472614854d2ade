using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.Loader;
using AgentKit.Fuzzing.Shared;

namespace AgentKit.Tools.FuzzRunner;

/// <summary>A compiled call of the harness with one input, and the test for the target's documented rejections.</summary>
internal sealed class Harness(Action<byte[]> run, IReadOnlyList<string> expected)
{
    private readonly HashSet<string> _expected = new(expected, StringComparer.Ordinal);

    public void Run(byte[] input) => run(input);

    /// <summary>True when <paramref name="exception"/> is (a subclass of) one of the harness's expected parse exceptions.</summary>
    public bool IsExpected(Exception exception)
    {
        for (var type = exception.GetType(); type is not null; type = type.BaseType)
            if (type.FullName is { } name && _expected.Contains(name))
                return true;
        return false;
    }
}

/// <summary>Loads the target's assemblies from the manifest folder and compiles the harness call (no reflection per input).</summary>
internal static class HarnessFactory
{
    private delegate void SpanHarness(ReadOnlySpan<byte> data);

    public static Harness Create(TargetManifest manifest)
    {
        var directory = manifest.Directory;
        AssemblyLoadContext.Default.Resolving += (context, name) =>
        {
            var candidate = Path.Combine(directory, name.Name + ".dll");
            return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
        };

        var assemblies = manifest.Assemblies
            .Select(file => AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(Path.Combine(directory, file))))
            .ToList();
        var spec = manifest.Harness;
        // The harness type is usually in an instrumented assembly, but a facade package can keep it in a dependency.
        var type = assemblies.Select(a => a.GetType(spec.TypeName, throwOnError: false)).FirstOrDefault(t => t is not null)
                   ?? Directory.EnumerateFiles(directory, "*.dll").Order(StringComparer.Ordinal)
                       .Where(f => !manifest.Assemblies.Contains(Path.GetFileName(f)))
                       .Select(f => TryLoad(f)?.GetType(spec.TypeName, throwOnError: false)).FirstOrDefault(t => t is not null)
                   ?? throw new InvalidOperationException($"type '{spec.TypeName}' not found in {string.Join(", ", manifest.Assemblies)} or their dependencies");
        return new Harness(Compile(type, spec), spec.ExpectedExceptions);
    }

    private static Assembly? TryLoad(string file)
    {
        try
        {
            return AssemblyLoadContext.Default.LoadFromAssemblyPath(Path.GetFullPath(file));
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException)
        {
            return null; // a native library or an assembly already loaded under another path
        }
    }

    private static Action<byte[]> Compile(Type type, HarnessSpec spec)
    {
        var flags = BindingFlags.Public | BindingFlags.NonPublic | (spec.Instance ? BindingFlags.Instance : BindingFlags.Static);
        var methods = type.GetMethods(flags).Where(m => m.Name == spec.MethodName && !m.IsGenericMethodDefinition).ToList();
        if (methods.Count == 0)
            throw new InvalidOperationException($"no {(spec.Instance ? "instance" : "static")} method '{spec.MethodName}' on {type.FullName}");

        if (spec.Argument == "auto")
        {
            // User harness: a static method taking ReadOnlySpan<byte>, byte[] or string.
            spec = methods.Any(m => m.GetParameters() is [{ ParameterType: var p }] && (p == typeof(ReadOnlySpan<byte>) || p == typeof(byte[])))
                ? spec with { Argument = "bytes" }
                : spec with { Argument = "string" };
        }

        if (spec.Argument == "bytes")
        {
            var span = methods.FirstOrDefault(m => m.GetParameters() is [{ ParameterType: var p }] && p == typeof(ReadOnlySpan<byte>) && m.ReturnType == typeof(void) && m.IsStatic);
            if (span is not null)
            {
                var call = span.CreateDelegate<SpanHarness>();
                return data => call(data);
            }
        }

        var input = Expression.Parameter(typeof(byte[]), "input");
        var text = Expression.Call(typeof(RunnerText).GetMethod(nameof(RunnerText.Decode))!, input);
        Expression? argument = spec.Argument switch
        {
            "string" => text,
            "bytes" => input,
            "reader" => Expression.New(typeof(StringReader).GetConstructor([typeof(string)])!, text),
            "memory" => Expression.Call(typeof(MemoryExtensions).GetMethod(nameof(MemoryExtensions.AsMemory), [typeof(string)])!, text),
            "ctor" => null,
            _ => throw new InvalidOperationException($"unknown harness argument kind '{spec.Argument}'"),
        };

        Expression? target = null;
        if (spec.Instance)
        {
            target = spec.Argument == "ctor"
                ? NewWithDefaults(type, text) ?? throw new InvalidOperationException($"{type.FullName} has no public constructor taking a string (other parameters optional)")
                : NewWithDefaults(type, null) ?? throw new InvalidOperationException($"{type.FullName} has no public parameterless constructor (or one whose parameters are all optional)");
        }

        if (spec.Receiver is not null)
        {
            // Extension method: a shared receiver instance goes first, the input second.
            var receiverType = type.Assembly.GetType(spec.Receiver, throwOnError: false)
                               ?? throw new InvalidOperationException($"receiver type '{spec.Receiver}' not found beside {type.FullName}");
            var receiver = Activator.CreateInstance(receiverType)
                           ?? throw new InvalidOperationException($"could not create {spec.Receiver}");
            foreach (var method in methods.Where(m => m.IsStatic && m.GetParameters() is [var first, ..] && first.ParameterType.IsAssignableFrom(receiverType))
                         .OrderBy(m => m.GetParameters().Length))
            {
                if (Arguments(method.GetParameters()[1..], argument) is { } rest)
                    return Expression.Lambda<Action<byte[]>>(
                        Expression.Block(typeof(void), Expression.Call(method, rest.Prepend(Expression.Constant(receiver, method.GetParameters()[0].ParameterType)))), input).Compile();
            }
            throw new InvalidOperationException($"no extension method {type.FullName}.{spec.MethodName}({spec.Receiver}, {spec.Argument}) with other parameters optional");
        }

        foreach (var method in methods.OrderBy(m => m.GetParameters().Length))
        {
            var call = CallWithDefaults(target, method, argument);
            if (call is not null)
                return Expression.Lambda<Action<byte[]>>(Expression.Block(typeof(void), call), input).Compile();
        }

        throw new InvalidOperationException($"no overload of {type.FullName}.{spec.MethodName} takes a single {spec.Argument} input (other parameters must be optional)");
    }

    /// <summary><c>new T(first, defaults…)</c> with the shortest matching public constructor; null when none fits.</summary>
    private static NewExpression? NewWithDefaults(Type type, Expression? first) =>
        type.GetConstructors().OrderBy(c => c.GetParameters().Length)
            .Select(c => Arguments(c.GetParameters(), first) is { } arguments ? Expression.New(c, arguments) : null)
            .FirstOrDefault(e => e is not null);

    private static MethodCallExpression? CallWithDefaults(Expression? target, MethodInfo method, Expression? argument) =>
        Arguments(method.GetParameters(), argument) is { } arguments ? Expression.Call(target, method, arguments) : null;

    private static bool HasImplicitConversion(Type from, Type to) =>
        to.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Any(m => m.Name == "op_Implicit" && m.ReturnType == to && m.GetParameters() is [{ ParameterType: var p }] && p == from);

    /// <summary>The input (if any) for the first parameter and default values for the rest; null when they do not fit.</summary>
    private static List<Expression>? Arguments(ParameterInfo[] parameters, Expression? argument)
    {
        var arguments = new List<Expression>();
        var rest = parameters.AsEnumerable();
        if (argument is not null)
        {
            if (parameters.Length == 0)
                return null;
            var type = parameters[0].ParameterType;
            if (type.IsAssignableFrom(argument.Type))
                arguments.Add(argument);
            else if (HasImplicitConversion(argument.Type, type))
                arguments.Add(Expression.Convert(argument, type)); // e.g. GraphQL-Parser's ROM from string
            else
                return null;
            rest = parameters.Skip(1);
        }
        if (!rest.All(p => p.HasDefaultValue || p.IsOptional))
            return null;
        arguments.AddRange(rest.Select(p => p.DefaultValue is DBNull or null
            ? (Expression)Expression.Default(p.ParameterType)
            : Expression.Convert(Expression.Constant(p.DefaultValue), p.ParameterType)));
        return arguments;
    }
}

/// <summary>Decoding used by compiled harnesses.</summary>
public static class RunnerText
{
    /// <summary>UTF-8 decoding of the input (invalid sequences become U+FFFD, as any text reader would do).</summary>
    public static string Decode(byte[] input) => System.Text.Encoding.UTF8.GetString(input);
}
