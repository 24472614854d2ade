namespace AgentKit.Fuzzing.Shared;

/// <summary>
/// Layout of the in-flight file of the in-process mode, a small file both the engine and the worker map into memory:
/// the worker writes each input there before running it and bumps the counter, so when the worker dies or hangs the
/// engine knows the input that did it and the watchdog sees progress without a pipe round trip per input.
/// <c>int64 counter</c> (inputs started), <c>int32 length</c>, then the input bytes.
/// </summary>
internal static class InFlightLayout
{
    /// <summary>Offset of the <c>int64</c> progress counter: moves when an input starts and after each report to the engine.</summary>
    public const int CounterOffset = 0;

    /// <summary>Offset of the <c>int32</c> length of the input in flight.</summary>
    public const int LengthOffset = 8;

    /// <summary>Offset of the input bytes.</summary>
    public const int DataOffset = 12;

    /// <summary>File size for inputs of up to <paramref name="maxInputBytes"/> bytes.</summary>
    public static long FileSize(int maxInputBytes) => DataOffset + (long)maxInputBytes;
}
