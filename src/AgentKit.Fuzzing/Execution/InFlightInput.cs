using System.IO.MemoryMappedFiles;
using AgentKit.Fuzzing.Shared;

namespace AgentKit.Fuzzing.Execution;

/// <summary>
/// The engine's side of the in-flight file of one in-process worker (<see cref="InFlightLayout"/>): a small file in
/// memory (<c>/dev/shm</c> where there is one) that the worker writes each input to before running it. It outlives
/// the worker processes it serves, so a crash or hang is attributed to the exact input; deleted on dispose.
/// </summary>
internal sealed class InFlightInput : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly int _maxInputBytes;

    public InFlightInput(int maxInputBytes)
    {
        _maxInputBytes = maxInputBytes;
        var folder = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        Path = System.IO.Path.Combine(folder, $"agentkit-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}.inflight");
        using (var stream = new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite))
            stream.SetLength(InFlightLayout.FileSize(maxInputBytes));
        _file = MemoryMappedFile.CreateFromFile(Path, FileMode.Open, null, 0, MemoryMappedFileAccess.ReadWrite);
        _view = _file.CreateViewAccessor(0, InFlightLayout.FileSize(maxInputBytes));
    }

    /// <summary>The file the worker maps.</summary>
    public string Path { get; }

    /// <summary>The current worker's progress counter: inputs started plus reports sent (0 after <see cref="Reset"/>).</summary>
    public long Started => _view.ReadInt64(InFlightLayout.CounterOffset); // an aligned 8-byte read: never torn

    /// <summary>Forgets the previous worker's input, before a new worker is set up.</summary>
    public void Reset()
    {
        _view.Write(InFlightLayout.LengthOffset, 0);
        _view.Write(InFlightLayout.CounterOffset, 0L);
    }

    /// <summary>The input the worker started last.</summary>
    public byte[] Read()
    {
        var length = Math.Clamp(_view.ReadInt32(InFlightLayout.LengthOffset), 0, _maxInputBytes);
        var input = new byte[length];
        _view.ReadArray(InFlightLayout.DataOffset, input, 0, length);
        return input;
    }

    public void Dispose()
    {
        _view.Dispose();
        _file.Dispose();
        File.Delete(Path);
    }
}
