namespace AgentKit.Fuzzing;

/// <summary>Where the builtin engine's fuzz loop runs. Both keep one worker process per worker thread and restart it only after a crash that kills it or a hang.</summary>
public enum FuzzMode
{
    /// <summary>The engine mutates; every input crosses the pipe to a worker (in batches) and its coverage comes back.</summary>
    OutOfProcess,

    /// <summary>
    /// The worker mutates, runs and judges inputs itself against its own copy of the coverage map; only inputs that add
    /// coverage there, crashes on a new path, and the input that killed or hung it (read from a shared in-flight file)
    /// reach the engine, which keeps the campaign's corpus and findings and feeds every worker the others' finds.
    /// </summary>
    InProcess,
}
