using System.Security.Cryptography;
using System.Text;
using SharpFuzz;

namespace AgentKit.Fuzzing.Instrumentation;

/// <summary>
/// Instruments copies of target assemblies with SharpFuzz, all in one pass (one process, one id space, collisions
/// remapped), and caches the result under <c>CACHE/instrumented/HASH</c> where HASH covers every input file's content.
/// </summary>
public static class AssemblyInstrumenter
{
    private const string ProbeFile = "probes.tsv";
    private const string LiteralFile = "literals.txt";
    private const string TargetsFile = "targets.txt";
    private static readonly Lock InstrumentLock = new(); // SharpFuzz keeps its id generator in statics

    /// <summary>
    /// Instruments <paramref name="targets"/> (copied together with <paramref name="dependencies"/>, which are not instrumented).
    /// </summary>
    /// <param name="targets">Assemblies to instrument.</param>
    /// <param name="dependencies">Assemblies the targets need at run time (copied as they are).</param>
    /// <param name="cacheDirectory">Root of the instrumentation cache.</param>
    /// <exception cref="FileNotFoundException">A target does not exist.</exception>
    /// <exception cref="InvalidOperationException">SharpFuzz refused an assembly (already instrumented, mixed mode, not .NET).</exception>
    public static InstrumentedTarget Instrument(IReadOnlyList<string> targets, IReadOnlyList<string> dependencies, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count == 0)
            throw new ArgumentException("at least one target assembly is required", nameof(targets));
        foreach (var file in targets.Concat(dependencies))
            if (!File.Exists(file))
                throw new FileNotFoundException($"assembly not found: {file}", file);

        var hash = ContentHash(targets, dependencies);
        var directory = Path.Combine(cacheDirectory, "instrumented", hash);
        if (File.Exists(Path.Combine(directory, ProbeFile)))
            return Load(directory, fromCache: true);

        // Build beside the final folder and move it into place, so a half-written folder is never used.
        var staging = directory + ".tmp-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(staging);
        try
        {
            foreach (var dependency in dependencies)
                File.Copy(dependency, Path.Combine(staging, Path.GetFileName(dependency)), overwrite: true);
            var copies = targets.Select(t => Path.Combine(staging, Path.GetFileName(t))).ToList();
            for (var i = 0; i < targets.Count; i++)
                File.Copy(targets[i], copies[i], overwrite: true);

            lock (InstrumentLock)
            {
                foreach (var copy in copies)
                {
                    try
                    {
                        Fuzzer.Instrument(copy, _ => true, Options.Value);
                    }
                    catch (InstrumentationException ex)
                    {
                        throw new InvalidOperationException($"SharpFuzz could not instrument {Path.GetFileName(copy)}: {ex.Message}", ex);
                    }
                }
            }

            var (probes, literals) = ProbeRewriter.Process(copies, new Random(0x5eed));
            new ProbeMap(probes).Save(Path.Combine(staging, ProbeFile));
            BranchMap.Build(staging, copies.Select(Path.GetFileName)!).Save(Path.Combine(staging, BranchMap.FileName));
            File.WriteAllLines(Path.Combine(staging, LiteralFile), RankLiterals(literals).Select(Escape));
            File.WriteAllLines(Path.Combine(staging, TargetsFile), copies.Select(Path.GetFileName)!);

            try
            {
                Directory.Move(staging, directory);
            }
            catch (IOException) when (File.Exists(Path.Combine(directory, ProbeFile)))
            {
                // another process won the race with the same content: use theirs
            }
            return Load(directory, fromCache: false);
        }
        finally
        {
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
        }
    }

    private static InstrumentedTarget Load(string directory, bool fromCache) =>
        new(directory,
            File.ReadAllLines(Path.Combine(directory, TargetsFile)).Where(l => l.Length > 0).ToList(),
            ProbeMap.Load(Path.Combine(directory, ProbeFile)),
            File.ReadAllLines(Path.Combine(directory, LiteralFile)).Select(Unescape).ToList(),
            fromCache);

    private static string ContentHash(IReadOnlyList<string> targets, IReadOnlyList<string> dependencies)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // The instrumenter's own version is part of the key: a new SharpFuzz may instrument differently.
        sha.AppendData(Encoding.UTF8.GetBytes(typeof(Fuzzer).Assembly.GetName().Version + "|v1|"));
        foreach (var (file, role) in targets.Select(t => (t, "T")).Concat(dependencies.Select(d => (d, "D"))))
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{role}:{Path.GetFileName(file)}:"));
            sha.AppendData(File.ReadAllBytes(file));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..20];
    }

    /// <summary>Short printable literals, most frequent first: the tokens a parser compares input against.</summary>
    private static IEnumerable<string> RankLiterals(List<string> literals) =>
        literals.Where(l => l.Length is >= 1 and <= 32 && l.All(c => c >= ' ' && c < 127 || c is '\n' or '\t'))
            .GroupBy(l => l, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(512)
            .Select(g => g.Key);

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\t", "\\t");

    private static string Unescape(string value) => value.Replace("\\n", "\n").Replace("\\t", "\t").Replace("\\\\", "\\");
}
