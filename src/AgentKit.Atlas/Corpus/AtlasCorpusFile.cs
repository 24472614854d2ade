using AgentKit.Atlas.Data;

namespace AgentKit.Atlas.Corpus;

/// <summary>What <see cref="AtlasCorpusFile.Write"/> wrote (<c>agentkit atlas build-corpus --json</c> prints it).</summary>
/// <param name="Out">The corpus file.</param>
/// <param name="Passages">Passages written.</param>
/// <param name="Countries">Of which country passages.</param>
/// <param name="Capitals">Of which capital passages.</param>
/// <param name="Cities">Of which city passages.</param>
/// <param name="SizeBytes">File size.</param>
public sealed record CorpusReport(string Out, int Passages, int Countries, int Capitals, int Cities, long SizeBytes);

/// <summary>Writes the atlas corpus as <c>corpus.jsonl</c> in a folder (<c>agentkit atlas build-corpus</c>).</summary>
public static class AtlasCorpusFile
{
    /// <summary>The corpus file's name inside the folder.</summary>
    public const string FileName = "corpus.jsonl";

    /// <summary>Builds the passages of <paramref name="data"/> and writes them to <paramref name="folder"/>/<see cref="FileName"/>.</summary>
    public static CorpusReport Write(AtlasCorpusBuilder builder, AtlasData data, string folder)
    {
        var passages = builder.Build(data);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        AtlasCorpusBuilder.WriteJsonl(passages, path);
        int Count(string prefix) => passages.Count(p => p.Id.StartsWith(prefix, StringComparison.Ordinal));
        return new CorpusReport(Path.GetFullPath(path), passages.Count, Count("country/"), Count("capital/"), Count("city/"), new FileInfo(path).Length);
    }
}
