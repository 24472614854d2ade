using AgentKit.Atlas.Corpus;
using AgentKit.Atlas.Tests.Support;

namespace AgentKit.Atlas.Tests;

[Collection(AtlasCollection.Name)]
public sealed class AtlasCorpusFileTests(AtlasFixture atlas)
{
    [Fact]
    public void The_written_corpus_holds_every_passage_and_the_report_counts_them_by_kind()
    {
        var folder = Path.Combine(Directory.CreateTempSubdirectory("atlas-corpus-").FullName, "out");

        var report = AtlasCorpusFile.Write(new AtlasCorpusBuilder(), atlas.Data, folder);

        var path = Path.Combine(folder, AtlasCorpusFile.FileName);
        Assert.Equal(Path.GetFullPath(path), report.Out);
        Assert.Equal(atlas.Passages.Count, File.ReadLines(path).Count());
        Assert.Equal(atlas.Passages.Count, report.Passages);
        Assert.Equal(atlas.Passages.Count(p => p.Id.StartsWith("capital/", StringComparison.Ordinal)), report.Capitals);
        Assert.Equal(report.Passages, report.Countries + report.Capitals + report.Cities);
        Assert.Equal(new FileInfo(path).Length, report.SizeBytes);
    }
}
