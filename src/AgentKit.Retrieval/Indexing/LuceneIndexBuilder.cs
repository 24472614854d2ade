using AgentKit.Retrieval.Corpus;
using Lucene.Net.Index;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace AgentKit.Retrieval.Indexing;

/// <summary>
/// Builds a BM25 Lucene index from corpus documents into a directory, with bounded memory (the writer's RAM buffer and a
/// bounded queue of documents in flight) on <see cref="LuceneIndexOptions.Threads"/> threads. The directory must be
/// missing, empty, or hold an earlier index (which is replaced). A build from a file commits a checkpoint every
/// <see cref="LuceneIndexOptions.CommitInterval"/> passages with the corpus position; run again on the same file after a
/// kill or a cancellation, it continues from the last checkpoint. A finished index records that in its last commit and
/// then writes its manifest. Anything that fails before a checkpoint is rolled back; an earlier index stays until the
/// first checkpoint of its replacement.
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

    /// <summary>
    /// Indexes the corpus file at <paramref name="corpusPath"/> into <paramref name="indexDirectory"/>, resuming an
    /// interrupted build of the same file found there (unless <see cref="LuceneIndexOptions.Resume"/> is off).
    /// </summary>
    /// <param name="corpusPath">JSONL or TSV corpus.</param>
    /// <param name="indexDirectory">Where to write the index.</param>
    /// <param name="progress">Receives a report every <see cref="LuceneIndexOptions.ProgressInterval"/> documents and at the end.</param>
    /// <param name="cancellationToken">Stops the build; work since the last checkpoint is rolled back.</param>
    /// <param name="format">Corpus format (default: <see cref="CorpusFormats.FromPath"/>).</param>
    /// <exception cref="FileNotFoundException">The corpus does not exist.</exception>
    /// <exception cref="CorpusFormatException">A corpus record is invalid; the index is rolled back to its last checkpoint.</exception>
    /// <exception cref="InvalidDataException">Two passages share an id.</exception>
    /// <exception cref="CorpusChangedException">The directory holds an interrupted build of a different corpus file.</exception>
    public IndexBuildResult BuildFromFile(
        string corpusPath, string indexDirectory, IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default,
        CorpusFormat? format = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(corpusPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(indexDirectory);
        if (!File.Exists(corpusPath))
            throw new FileNotFoundException($"Corpus file not found: {corpusPath}", corpusPath);
        var start = _time.GetTimestamp();
        var fingerprint = CorpusFingerprint.Of(corpusPath);
        var corpusName = Path.GetFileName(corpusPath);
        var resume = _options.Resume ? FindInterruptedBuild(indexDirectory, corpusPath, fingerprint) : null;
        // Ids are checked in the index at the end instead of in a set that would grow with the corpus.
        using var reader = CorpusReader.OpenFile(corpusPath, format, resume?.Position ?? default, checkDuplicateIds: false);
        var source = new FileSource(reader, fingerprint, corpusName);
        return Build(reader.ReadDocuments(), indexDirectory, corpusName, progress, cancellationToken, source, resume, start);
    }

    /// <summary>Indexes <paramref name="documents"/> into <paramref name="indexDirectory"/> in one commit (no checkpoints).</summary>
    /// <param name="documents">The documents; ids should be unique (a <see cref="CorpusReader"/> checks that).</param>
    /// <param name="indexDirectory">Where to write the index.</param>
    /// <param name="corpusName">Name recorded in the index manifest.</param>
    /// <param name="progress">Receives a report every <see cref="LuceneIndexOptions.ProgressInterval"/> documents and at the end.</param>
    /// <param name="cancellationToken">Stops the build; the partial index is rolled back.</param>
    public IndexBuildResult Build(
        IEnumerable<CorpusDocument> documents, string indexDirectory, string corpusName = "(in memory)",
        IProgress<IndexProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentException.ThrowIfNullOrWhiteSpace(indexDirectory);
        return Build(documents, indexDirectory, corpusName, progress, cancellationToken, source: null, resume: null, _time.GetTimestamp());
    }

    /// <summary>The corpus file a build reads, for checkpoints.</summary>
    private sealed record FileSource(CorpusReader Reader, CorpusFingerprint Fingerprint, string Name);

    private IndexBuildResult Build(
        IEnumerable<CorpusDocument> documents, string indexDirectory, string corpusName, IProgress<IndexProgress>? progress,
        CancellationToken cancellationToken, FileSource? source, IndexCheckpoint? resume, long start)
    {
        var created = resume is null && PrepareDirectory(indexDirectory);
        var checkpointed = resume is not null;
        try
        {
            return Write(documents, indexDirectory, corpusName, progress, cancellationToken, source, resume, start, () => checkpointed = true);
        }
        catch when (created && !checkpointed)
        {
            // Leave the file system as it was: a failed build into a new directory, with nothing worth resuming, removes it.
            TryDelete(indexDirectory);
            throw;
        }
    }

    private IndexBuildResult Write(
        IEnumerable<CorpusDocument> documents, string indexDirectory, string corpusName, IProgress<IndexProgress>? progress,
        CancellationToken cancellationToken, FileSource? source, IndexCheckpoint? resume, long start, Action onCheckpoint)
    {
        // NIOFS rather than memory-mapped files: merges then read through small buffers, so the build's resident memory
        // does not grow with the index.
        using var directory = new NIOFSDirectory(new DirectoryInfo(indexDirectory));
        using var analyzer = IndexFields.CreateAnalyzer();
        var config = new IndexWriterConfig(IndexFields.Version, analyzer)
        {
            OpenMode = resume is null ? OpenMode.CREATE : OpenMode.APPEND,
            Similarity = new BM25Similarity(),
            RAMBufferSizeMB = _options.RamBufferSizeMb,
        };

        var resumedFrom = resume?.Passages ?? 0;
        var count = resumedFrom;
        IndexProgress Progress(long bytes) => new(count, bytes, source?.Reader.TotalBytes, _time.GetElapsedTime(start), resumedFrom);
        var writer = new IndexWriter(directory, config);
        try
        {
            using (var adder = new ParallelDocumentAdder(writer, _options.Threads, cancellationToken))
            {
                foreach (var document in documents)
                {
                    adder.Add(document);
                    count++;
                    if (count % _options.ProgressInterval == 0)
                        progress?.Report(Progress(source?.Reader.BytesRead ?? 0));
                    if (source is not null && count % _options.CommitInterval == 0)
                    {
                        adder.WaitForAll();
                        Commit(writer, indexDirectory, new IndexCheckpoint(false, count, source.Reader.Position, source.Fingerprint, source.Name));
                        onCheckpoint();
                    }
                }
                adder.WaitForAll();
            }
            cancellationToken.ThrowIfCancellationRequested();

            if (source is not null && IdCheck.FindDuplicate(writer) is { } duplicate)
                throw new InvalidDataException($"{source.Name}: the id \"{duplicate}\" occurs more than once; every passage needs its own id.");
            if (_options.ForceMergeToOneSegment)
                writer.ForceMerge(1);
            Commit(writer, indexDirectory, new IndexCheckpoint(true, count, source?.Reader.Position ?? default, source?.Fingerprint, corpusName));
        }
        catch
        {
            writer.Rollback(); // back to the last checkpoint; also disposes the writer
            throw;
        }
        writer.Dispose();

        new IndexManifest(IndexManifest.CurrentFormatVersion, count, corpusName, _time.GetUtcNow(), "StandardAnalyzer (LUCENE_48)", "BM25 (k1=1.2, b=0.75)")
            .Write(indexDirectory);
        progress?.Report(Progress(source?.Reader.TotalBytes ?? 0));
        return new IndexBuildResult(indexDirectory, count, _time.GetElapsedTime(start), DirectorySize(indexDirectory), resumedFrom, _options.Threads);
    }

    private static void Commit(IndexWriter writer, string indexDirectory, IndexCheckpoint checkpoint)
    {
        // A manifest describes a finished index; the one of an index being replaced goes before its first commit.
        File.Delete(Path.Combine(indexDirectory, IndexManifest.FileName));
        writer.SetCommitData(checkpoint.ToUserData());
        writer.Commit();
    }

    /// <summary>The checkpoint to continue from, or null to build afresh; throws when the interrupted build read another corpus.</summary>
    private static IndexCheckpoint? FindInterruptedBuild(string indexDirectory, string corpusPath, CorpusFingerprint fingerprint)
    {
        if (ReadLastCheckpoint(indexDirectory) is not { Complete: false } checkpoint)
            return null;
        if (checkpoint.Fingerprint == fingerprint)
            return checkpoint;
        var difference = checkpoint.Fingerprint is null ? "it was not read from a file"
            : checkpoint.Fingerprint.SizeBytes != fingerprint.SizeBytes ? $"it was {checkpoint.Fingerprint.SizeBytes:N0} bytes, this file is {fingerprint.SizeBytes:N0}"
            : "its first MiB differs";
        throw new CorpusChangedException(
            $"{indexDirectory} holds an interrupted build of {checkpoint.Corpus} ({checkpoint.Passages:N0} passages committed), but {corpusPath} " +
            $"is not that corpus any more ({difference}). Start over (agentkit index --restart, or LuceneIndexOptions.Resume = false) or choose another output directory.");
    }

    /// <summary>The checkpoint of the newest commit in <paramref name="indexDirectory"/>, or null when it holds no AgentKit index.</summary>
    internal static IndexCheckpoint? ReadLastCheckpoint(string indexDirectory)
    {
        if (!System.IO.Directory.Exists(indexDirectory))
            return null;
        using LuceneDirectory directory = FSDirectory.Open(indexDirectory);
        if (!DirectoryReader.IndexExists(directory))
            return null;
        var commits = DirectoryReader.ListCommits(directory);
        return IndexCheckpoint.FromUserData(commits[^1].UserData);
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
