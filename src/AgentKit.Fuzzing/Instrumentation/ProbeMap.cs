using System.Globalization;

namespace AgentKit.Fuzzing.Instrumentation;

/// <summary>Where one SharpFuzz probe sits: its id in the coverage map, the assembly, method and IL offset (of the instrumented IL).</summary>
/// <param name="Id">Probe id (the value XORed into the 64 KiB map).</param>
/// <param name="Assembly">File name of the instrumented assembly.</param>
/// <param name="Method">Full name of the method.</param>
/// <param name="IlOffset">IL offset of the probe in the instrumented method body.</param>
public sealed record Probe(int Id, string Assembly, string Method, uint IlOffset);

/// <summary>
/// The map from probe ids to methods, kept next to the instrumented copies (<c>probes.tsv</c>) so later stages
/// (coverage slicing, distance rewards) can name the code an edge belongs to.
/// </summary>
public sealed class ProbeMap
{
    private readonly List<Probe> _all;
    private readonly Dictionary<int, Probe> _byId = new();

    /// <summary>Creates a map from the probes found in instrumented assemblies.</summary>
    public ProbeMap(IEnumerable<Probe> probes)
    {
        _all = probes.ToList();
        foreach (var probe in _all)
            _byId.TryAdd(probe.Id, probe);
    }

    /// <summary>All probes.</summary>
    public IReadOnlyCollection<Probe> Probes => _all;

    /// <summary>Number of probes.</summary>
    public int Count => _all.Count;

    /// <summary>Probes that share their id with an earlier one: zero unless the target has more probes than the 64 KiB map has cells.</summary>
    public int Collisions => _all.Count - _byId.Count;

    /// <summary>The (first) probe with <paramref name="id"/>, or null.</summary>
    public Probe? Find(int id) => _byId.GetValueOrDefault(id);

    /// <summary>Writes the map as tab-separated lines: id, assembly, IL offset, method.</summary>
    public void Save(string path) =>
        File.WriteAllLines(path, _all.OrderBy(p => p.Id).Select(p =>
            string.Join('\t', p.Id.ToString(CultureInfo.InvariantCulture), p.Assembly, p.IlOffset.ToString(CultureInfo.InvariantCulture), p.Method)));

    /// <summary>Reads a map written by <see cref="Save"/>.</summary>
    public static ProbeMap Load(string path) =>
        new(File.ReadLines(path).Where(l => l.Length > 0).Select(line =>
        {
            var parts = line.Split('\t', 4);
            if (parts.Length != 4)
                throw new InvalidDataException($"bad probe map line in {path}: {line}");
            return new Probe(int.Parse(parts[0], CultureInfo.InvariantCulture), parts[1], parts[3], uint.Parse(parts[2], CultureInfo.InvariantCulture));
        }));
}
