using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using AgentKit.Retrieval.Corpus;
using Lucene.Net.Documents;
using Lucene.Net.Index;

namespace AgentKit.Retrieval.Indexing;

/// <summary>
/// Adds documents to an <see cref="IndexWriter"/> (which is thread-safe) from several threads: the caller hands
/// documents over in batches through a bounded queue, so analysis, the costly part, uses the cores while the documents
/// in flight stay bounded. <see cref="WaitForAll"/> is the barrier a checkpoint needs: afterwards every document handed
/// over is in the writer. With one thread, documents are added on the caller's thread.
/// </summary>
internal sealed class ParallelDocumentAdder : IDisposable
{
    private const int BatchSize = 128;
    private readonly IndexWriter _writer;
    private readonly BlockingCollection<CorpusDocument[]>? _queue;
    private readonly Thread[] _workers;
    private readonly CancellationTokenSource _stop;
    private readonly DocumentFields _callerFields = new();
    private readonly object _gate = new();
    private List<CorpusDocument> _batch = new(BatchSize);
    private long _handedOver;
    private long _added;
    private ExceptionDispatchInfo? _failure;

    public ParallelDocumentAdder(IndexWriter writer, int threads, CancellationToken cancellationToken)
    {
        _writer = writer;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (threads == 1)
        {
            _workers = [];
            return;
        }
        _queue = new BlockingCollection<CorpusDocument[]>(boundedCapacity: 2 * threads);
        _workers = Enumerable.Range(0, threads).Select(i => new Thread(Work) { IsBackground = true, Name = $"agentkit-index-{i}" }).ToArray();
        foreach (var worker in _workers)
            worker.Start();
    }

    public void Add(CorpusDocument document)
    {
        _stop.Token.ThrowIfCancellationRequested();
        if (_queue is null)
        {
            _callerFields.AddTo(_writer, document);
            return;
        }
        _batch.Add(document);
        if (_batch.Count == BatchSize)
            HandOver();
    }

    /// <summary>Returns once every document given to <see cref="Add"/> is in the writer; rethrows a worker's failure.</summary>
    public void WaitForAll()
    {
        if (_queue is null)
            return;
        if (_batch.Count > 0)
            HandOver();
        lock (_gate)
        {
            while (_added < _handedOver && _failure is null && !_stop.IsCancellationRequested)
                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(200));
        }
        ThrowIfStopped();
    }

    private void HandOver()
    {
        var batch = _batch.ToArray();
        _batch = new List<CorpusDocument>(BatchSize);
        try
        {
            _queue!.Add(batch, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            ThrowIfStopped();
            throw;
        }
        lock (_gate)
            _handedOver += batch.Length;
    }

    private void ThrowIfStopped()
    {
        _failure?.Throw();
        _stop.Token.ThrowIfCancellationRequested();
    }

    private void Work()
    {
        var fields = new DocumentFields();
        try
        {
            foreach (var batch in _queue!.GetConsumingEnumerable(_stop.Token))
            {
                foreach (var document in batch)
                    fields.AddTo(_writer, document);
                lock (_gate)
                {
                    _added += batch.Length;
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the caller or by another worker's failure.
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _failure ??= ExceptionDispatchInfo.Capture(ex);
                Monitor.PulseAll(_gate);
            }
            _stop.Cancel();
        }
    }

    /// <summary>Stops the workers (dropping batches not yet added) and waits for them, so the writer can be rolled back or closed.</summary>
    public void Dispose()
    {
        if (_queue is not null)
        {
            _queue.CompleteAdding();
            bool unfinished;
            lock (_gate)
                unfinished = _added < _handedOver || _batch.Count > 0;
            if (unfinished)
                _stop.Cancel(); // leaving early (an error): the caller rolls back, so pending documents do not matter
            foreach (var worker in _workers)
                worker.Join();
            _queue.Dispose();
        }
        _stop.Dispose();
    }

    /// <summary>One thread's reusable document: Lucene copies the field values on AddDocument.</summary>
    private sealed class DocumentFields
    {
        private readonly StringField _id = new(IndexFields.Id, "", Field.Store.YES);
        private readonly TextField _title = new(IndexFields.Title, "", Field.Store.YES);
        private readonly TextField _text = new(IndexFields.Text, "", Field.Store.YES);
        private readonly Document _document;

        public DocumentFields() => _document = [_id, _title, _text];

        public void AddTo(IndexWriter writer, CorpusDocument document)
        {
            _id.SetStringValue(document.Id);
            _title.SetStringValue(document.Title);
            _text.SetStringValue(document.Text);
            writer.AddDocument(_document);
        }
    }
}
