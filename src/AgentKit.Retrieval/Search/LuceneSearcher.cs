using AgentKit.Retrieval.Indexing;
using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;

namespace AgentKit.Retrieval.Search;

/// <summary>
/// Searches an index built by <see cref="LuceneIndexBuilder"/>, read-only, with BM25 over title (boosted) and
/// text. One instance serves any number of concurrent searches; dispose it to release the index files.
/// </summary>
public sealed class LuceneSearcher : IPassageSearcher, IPassageCatalog, IDisposable
{
    private readonly FSDirectory _directory;
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly Analyzer _analyzer;
    private readonly LuceneSearchOptions _options;
    private int _disposed;

    private LuceneSearcher(string indexDirectory, FSDirectory directory, DirectoryReader reader, LuceneSearchOptions options)
    {
        IndexDirectory = indexDirectory;
        _directory = directory;
        _reader = reader;
        _options = options;
        // IndexSearcher and the analyzer (per-thread token stream reuse) are both safe for concurrent use.
        _searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        _analyzer = IndexFields.CreateAnalyzer();
    }

    /// <summary>The directory the index was opened from.</summary>
    public string IndexDirectory { get; }

    /// <summary>Number of documents in the index.</summary>
    public int DocumentCount => _reader.NumDocs;

    /// <summary>Opens the index in <paramref name="indexDirectory"/> read-only.</summary>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="InvalidDataException">The directory does not hold a readable AgentKit index.</exception>
    public static LuceneSearcher Open(string indexDirectory, LuceneSearchOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(indexDirectory);
        options = (options ?? new LuceneSearchOptions()).Validate();
        if (!System.IO.Directory.Exists(indexDirectory))
            throw new DirectoryNotFoundException($"Index directory not found: {indexDirectory}");
        if (!IsIndex(indexDirectory))
            throw new InvalidDataException($"{indexDirectory} does not hold a Lucene index; build one with 'agentkit index'.");
        if (IndexManifest.TryRead(indexDirectory) is { IsCurrent: false } manifest)
            throw new InvalidDataException(
                $"{indexDirectory} was built with index format {manifest.FormatVersion}; this version reads format {IndexManifest.CurrentFormatVersion}. Rebuild it with 'agentkit index'.");

        var directory = FSDirectory.Open(indexDirectory);
        try
        {
            var reader = DirectoryReader.Open(directory);
            if (IndexCheckpoint.FromUserData(reader.IndexCommit.UserData) is { Complete: false } checkpoint)
            {
                reader.Dispose();
                throw new InvalidDataException(
                    $"{indexDirectory} holds an interrupted build of {checkpoint.Corpus} ({checkpoint.Passages:N0} passages so far); run 'agentkit index' on the same corpus again to finish it.");
            }
            return new LuceneSearcher(indexDirectory, directory, reader, options);
        }
        catch (InvalidDataException)
        {
            directory.Dispose();
            throw;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            directory.Dispose();
            throw new InvalidDataException($"Cannot open the index in {indexDirectory}: {ex.Message}", ex);
        }
    }

    /// <summary>True when <paramref name="indexDirectory"/> exists and holds a Lucene index.</summary>
    public static bool IsIndex(string indexDirectory)
    {
        if (!System.IO.Directory.Exists(indexDirectory))
            return false;
        using var directory = FSDirectory.Open(indexDirectory);
        return DirectoryReader.IndexExists(directory);
    }

    /// <inheritdoc />
    public IReadOnlyList<Passage> Search(string query, int k)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (k < 1)
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        k = Math.Min(k, _options.MaxK);

        var luceneQuery = TermQueryBuilder.Build(_analyzer, query, _options.TitleBoost, _options.MaxQueryTerms);
        if (luceneQuery is null)
            return [];

        var top = _searcher.Search(luceneQuery, k);
        var passages = new Passage[top.ScoreDocs.Length];
        for (var i = 0; i < passages.Length; i++)
        {
            var hit = top.ScoreDocs[i];
            var doc = _searcher.Doc(hit.Doc);
            passages[i] = new Passage(doc.Get(IndexFields.Id), doc.Get(IndexFields.Title) ?? "", doc.Get(IndexFields.Text) ?? "", hit.Score);
        }
        return passages;
    }

    /// <inheritdoc />
    /// <remarks>Enumerates the stored fields document by document; deleted documents are skipped.</remarks>
    public IEnumerable<Passage> AllPassages()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Enumerate();

        IEnumerable<Passage> Enumerate()
        {
            var liveDocs = MultiFields.GetLiveDocs(_reader); // null when the index has no deletions
            for (var i = 0; i < _reader.MaxDoc; i++)
            {
                if (liveDocs is not null && !liveDocs.Get(i))
                    continue;
                var doc = _reader.Document(i);
                yield return new Passage(doc.Get(IndexFields.Id), doc.Get(IndexFields.Title) ?? "", doc.Get(IndexFields.Text) ?? "", 0);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Loads only the id and title fields of each document.</remarks>
    public IEnumerable<Passage> AllTitles()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return Enumerate();

        IEnumerable<Passage> Enumerate()
        {
            var fields = new HashSet<string>(StringComparer.Ordinal) { IndexFields.Id, IndexFields.Title };
            var liveDocs = MultiFields.GetLiveDocs(_reader);
            for (var i = 0; i < _reader.MaxDoc; i++)
            {
                if (liveDocs is not null && !liveDocs.Get(i))
                    continue;
                var doc = _reader.Document(i, fields);
                yield return new Passage(doc.Get(IndexFields.Id), doc.Get(IndexFields.Title) ?? "", "", 0);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>One exact term lookup on the id field per id.</remarks>
    public IReadOnlyList<Passage> Passages(IReadOnlyList<string> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var passages = new List<Passage>(ids.Count);
        foreach (var id in ids)
        {
            var top = _searcher.Search(new TermQuery(new Term(IndexFields.Id, id)), 1);
            if (top.ScoreDocs.Length == 0)
                continue;
            var doc = _searcher.Doc(top.ScoreDocs[0].Doc);
            passages.Add(new Passage(doc.Get(IndexFields.Id), doc.Get(IndexFields.Title) ?? "", doc.Get(IndexFields.Text) ?? "", 0));
        }
        return passages;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _analyzer.Dispose();
        _reader.Dispose();
        _directory.Dispose();
    }
}
