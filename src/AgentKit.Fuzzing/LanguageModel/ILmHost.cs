namespace AgentKit.Fuzzing.LanguageModel;

/// <summary>What an <see cref="LmSeeder"/> needs from the campaign it feeds (implemented by the builtin engine).</summary>
internal interface ILmHost
{
    /// <summary>Seconds since the campaign started.</summary>
    double Elapsed { get; }

    /// <summary>Inputs run so far this session.</summary>
    long Execs { get; }

    /// <summary><see cref="Execs"/> when coverage last grew.</summary>
    long ExecsAtLastGain { get; }

    /// <summary>LM inputs queued and not yet run.</summary>
    int LmOutstanding { get; }

    /// <summary>A copy of the corpus.</summary>
    List<byte[]> CorpusSnapshot();

    /// <summary>Queues inputs to run before the next mutants, in the campaign's workers; they count as LM inputs.</summary>
    void Offer(IReadOnlyList<byte[]> inputs);

    /// <summary>The LM inputs that added coverage since the last call.</summary>
    List<byte[]> TakeLmKept();
}
