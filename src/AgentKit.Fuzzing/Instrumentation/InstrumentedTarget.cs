namespace AgentKit.Fuzzing.Instrumentation;

/// <summary>A folder of instrumented copies (with their uninstrumented dependencies), ready to load in a worker.</summary>
/// <param name="Directory">The folder; treat it as read-only (it is shared by every campaign on the same inputs).</param>
/// <param name="Assemblies">File names of the instrumented assemblies in <paramref name="Directory"/>.</param>
/// <param name="Probes">Probe ids → methods.</param>
/// <param name="Literals">String literals of the instrumented code, most frequent first (dictionary tokens).</param>
/// <param name="FromCache">True when an earlier run had already instrumented the same content.</param>
public sealed record InstrumentedTarget(string Directory, IReadOnlyList<string> Assemblies, ProbeMap Probes, IReadOnlyList<string> Literals, bool FromCache);
