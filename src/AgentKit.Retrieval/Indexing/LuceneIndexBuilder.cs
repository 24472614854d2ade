using AgentKit.Retrieval.Corpus;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace AgentKit.Retrieval.Indexing;

/// <summary>
/// Builds a BM25 Lucene index from corpus documents into a directory. The directory must be missing, empty,
/// or hold an earlier index (which is replaced). A build that fails part-way (bad corpus line, cancellation)
/// is rolled back, so it never leaves a half-written index behind.
/// </summary>
public sealed class LuceneIndexBuilder
{
    private readonly LuceneIndexOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates a builder; <paramref name="options"/> are validated here.</summary>
    public LuceneIndexBuilder(LuceneIndexOptions? options = null, TimeProvider? timeProvider = null)
    {
        _options = (options ?? new LuceneIndexOptions()).Validate();
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Indexes the JSONL corpus at <paramref name="corpusPath"/> into <paramref name="indexDirectory"/>.</summary>
    /// <exception cref="FileNotFoundException">The corpus does not exist.</exception>
    /// <exception cref="CorpusFormatException">A corpus line is invalid; nothing is written.</exception>
    public IndexBuildResult BuildFromFile(
        string corpusPath, string indexDirectory, IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var reader = CorpusReader.OpenFile(corpusPath);
        return Build(reader.ReadDocuments(), indexDirectory, Path.GetFileName(corpusPath), progress, cancellationToken, reader);
    }

    /// <summary>Indexes <paramref name="documents"/> into <paramref name="indexDirectory"/>.</summary>
    /// <param name="documents">The documents; ids should be unique (a <see cref="CorpusReader"/> checks that).</param>
    /// <param name="indexDirectory">Where to write the index.</param>
    /// <param name="corpusName">Name recorded in the index manifest.</param>
    /// <param name="progress">Receives a report every <see cref="LuceneIndexOptions.ProgressInterval"/> documents and at the end.</param>
    /// <param name="cancellationToken">Stops the build; the partial index is rolled back.</param>
    public IndexBuildResult Build(
        IEnumerable<CorpusDocument> documents, string indexDirectory, string corpusName = "(in memory)",
        IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Build(documents, indexDirectory, corpusName, progress, cancellationToken, reader: null);

    private IndexBuildResult Build(
        IEnumerable<CorpusDocument> documents, string indexDirectory, string corpusName,
        IProgress<IndexProgress>? progress, CancellationToken cancellationToken, CorpusReader? reader)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentException.ThrowIfNullOrWhiteSpace(indexDirectory);
        var start = _time.GetTimestamp();
        var created = PrepareDirectory(indexDirectory);
        try
        {
            return Write(documents, indexDirectory, corpusName, progress, cancellationToken, reader, start);
        }
        catch when (created)
        {
            // Leave the file system as it was: a failed build into a new directory removes it.
            TryDelete(indexDirectory);
            throw;
        }
    }

    private IndexBuildResult Write(
        IEnumerable<CorpusDocument> documents, string indexDirectory, string corpusName,
        IProgress<IndexProgress>? progress, CancellationToken cancellationToken, CorpusReader? reader, long start)
    {
        using var directory = FSDirectory.Open(indexDirectory);
        using var analyzer = IndexFields.CreateAnalyzer();
        var config = new IndexWriterConfig(IndexFields.Version, analyzer)
        {
            OpenMode = OpenMode.CREATE,
            Similarity = new BM25Similarity(),
            RAMBufferSizeMB = _options.RamBufferSizeMb,
        };

        long count = 0;
        var writer = new IndexWriter(directory, config);
        try
        {
            // Reused across documents: Lucene copies field values on AddDocument.
            var idField = new StringField(IndexFields.Id, "", Field.Store.YES);
            var titleField = new TextField(IndexFields.Title, "", Field.Store.YES);
            var textField = new TextField(IndexFields.Text, "", Field.Store.YES);
            var doc = new Document { idField, titleField, textField };

            foreach (var document in documents)
            {
                cancellationToken.ThrowIfCancellationRequested();
                idField.SetStringValue(document.Id);
                titleField.SetStringValue(document.Title);
                textField.SetStringValue(document.Text);
                writer.AddDocument(doc);
                if (++count % _options.ProgressInterval == 0)
                    progress?.Report(new IndexProgress(count, reader?.BytesRead ?? 0, reader?.TotalBytes));
            }

            if (_options.ForceMergeToOneSegment)
                writer.ForceMerge(1);
            writer.Commit();
        }
        catch
        {
            writer.Rollback(); // also disposes the writer
            throw;
        }
        writer.Dispose();

        new IndexManifest(IndexManifest.CurrentFormatVersion, count, corpusName, _time.GetUtcNow(), "StandardAnalyzer (LUCENE_48)", "BM25 (k1=1.2, b=0.75)")
            .Write(indexDirectory);
        progress?.Report(new IndexProgress(count, reader?.TotalBytes ?? 0, reader?.TotalBytes));
        return new IndexBuildResult(indexDirectory, count, _time.GetElapsedTime(start), DirectorySize(indexDirectory));
    }

    /// <summary>
    /// Explains why <paramref name="indexDirectory"/> cannot receive an index, or returns null when it can: it must be
    /// missing, empty, or hold an earlier index. Refusing anything else means no user file is ever mixed or lost.
    /// </summary>
    public static string? CheckOutputDirectory(string indexDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(indexDirectory);
        if (File.Exists(indexDirectory))
            return $"Index output {indexDirectory} is a file, not a directory.";
        if (!System.IO.Directory.Exists(indexDirectory) || !System.IO.Directory.EnumerateFileSystemEntries(indexDirectory).Any())
            return null;
        using LuceneDirectory existing = FSDirectory.Open(indexDirectory);
        return DirectoryReader.IndexExists(existing)
            ? null
            : $"Index output {indexDirectory} is not empty and does not hold an index; choose an empty or new directory.";
    }

    /// <summary>Returns true when the directory did not exist and was created.</summary>
    private static bool PrepareDirectory(string indexDirectory)
    {
        if (CheckOutputDirectory(indexDirectory) is { } problem)
            throw new IOException(problem);
        if (System.IO.Directory.Exists(indexDirectory))
            return false;
        System.IO.Directory.CreateDirectory(indexDirectory);
        return true;
    }

    private static void TryDelete(string directory)
    {
        try { System.IO.Directory.Delete(directory, recursive: true); }
        catch (IOException) { /* the original error matters more than a leftover directory */ }
        catch (UnauthorizedAccessException) { }
    }

    internal static long DirectorySize(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles().Sum(f => f.Length);
}
