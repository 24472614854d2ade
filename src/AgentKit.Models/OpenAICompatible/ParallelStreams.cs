using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace AgentKit.Models.OpenAICompatible;

/// <summary>Interleaves several async streams in arrival order.</summary>
internal static class ParallelStreams
{
    /// <summary>
    /// Yields items of all <paramref name="sources"/> as they arrive. The first failure cancels the other
    /// sources and is rethrown once the merge ends; stopping early cancels every source.
    /// </summary>
    public static async IAsyncEnumerable<T> MergeAsync<T>(
        IEnumerable<IAsyncEnumerable<T>> sources, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
        var pumps = sources.Select(source => PumpAsync(source, channel.Writer, stop)).ToArray();
        _ = CompleteWhenDoneAsync(pumps, channel.Writer);

        try
        {
            await foreach (var item in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return item;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(pumps).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        // Every pump has ended: surface the first real failure (cancellations caused by it are secondary).
        var failure = pumps.Where(p => p.IsFaulted).Select(p => p.Exception!.InnerException!).FirstOrDefault();
        if (failure is not null)
            throw failure;
        cancellationToken.ThrowIfCancellationRequested();
    }

    private static async Task PumpAsync<T>(IAsyncEnumerable<T> source, ChannelWriter<T> writer, CancellationTokenSource stop)
    {
        try
        {
            await foreach (var item in source.WithCancellation(stop.Token).ConfigureAwait(false))
                await writer.WriteAsync(item, stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task CompleteWhenDoneAsync<T>(Task[] pumps, ChannelWriter<T> writer)
    {
        try
        {
            await Task.WhenAll(pumps).ConfigureAwait(false);
        }
        catch
        {
            // Failures are read from the pump tasks by the reader.
        }
        finally
        {
            writer.TryComplete();
        }
    }
}
