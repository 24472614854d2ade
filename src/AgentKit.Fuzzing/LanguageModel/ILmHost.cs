namespace AgentKit.Fuzzing.LanguageModel;

/// <summary>What an <see cref="LmSeeder"/> needs from the campaign it feeds (the builtin engine's campaign, or <see cref="AflLmHost"/> beside afl-fuzz).</summary>
internal interface ILmHost
{
    /// <summary>Seconds since the campaign started.</summary>
    double Elapsed { get; }

    /// <summary>Inputs run so far this session.</summary>
    long Execs { get; }

    /// <summary><see cref="Execs"/> when coverage last grew.</summary>
    long ExecsAtLastGain { get; }

    /// <summary>Whether inputs queued ahead of mutation (the seeds, sync imports) are still waiting to run: an opening round waits for them.</summary>
    bool SeedsPending { get; }

    /// <summary>LM inputs queued and not yet run.</summary>
    int LmOutstanding { get; }

    /// <summary>A copy of the corpus.</summary>
    List<byte[]> CorpusSnapshot();

    /// <summary>
    /// Runs <paramref name="inputs"/> as LM inputs: the builtin engine queues them ahead of its mutants in its own workers;
    /// afl's host runs them on <paramref name="twin"/> (the round's block-mode twin) and hands afl those that add blocks.
    /// </summary>
    void Offer(IReadOnlyList<byte[]> inputs, FrontierQuestioner twin);

    /// <summary>The LM inputs that added coverage since the last call.</summary>
    List<byte[]> TakeLmKept();
}
