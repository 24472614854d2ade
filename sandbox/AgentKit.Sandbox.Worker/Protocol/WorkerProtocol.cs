// Shared by the host (AgentKit.Sandbox) and the worker: the file is linked into both projects,
// so the two sides of the pipe can never disagree on a field name.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentKit.Sandbox.Protocol;

/// <summary>
/// The wire format between host and worker: one JSON object per line on the worker's stdin/stdout.
/// The script's own console output never touches these pipes (the worker captures it).
/// </summary>
internal static class WorkerProtocol
{
    /// <summary>
    /// Serializer settings both sides use; compact so one message is one line. Source-generated: a fresh worker per
    /// run makes start-up time matter, and the reflection-based serializer's first use costs a worker ~100 ms of JIT.
    /// </summary>
    public static JsonSerializerOptions Json => WorkerJsonContext.Default.Options;

    /// <summary>Request kinds sent by the host.</summary>
    public static class Requests
    {
        public const string Run = "run";
        public const string Restore = "restore";
        public const string Close = "close";
        public const string ToolResult = "tool_result";
        public const string Stats = "stats";
    }

    /// <summary>Message kinds sent by the worker.</summary>
    public static class Replies
    {
        public const string Ready = "ready";
        public const string Result = "result";
        public const string ToolCall = "tool_call";
    }

    /// <summary>Wire names of <c>ExecutionStatus</c> values; the worker never references the abstractions.</summary>
    public static class Statuses
    {
        public const string Ok = "ok";
        public const string CompileError = "compile_error";
        public const string PolicyViolation = "policy_violation";
        public const string RuntimeError = "runtime_error";
        public const string MemoryLimit = "memory_limit";
        public const string OutputTruncated = "output_truncated";
    }
}

/// <summary>The source-generated serializer of the protocol's messages.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault, WriteIndented = false)]
[JsonSerializable(typeof(WorkerRequest))]
[JsonSerializable(typeof(WorkerReply))]
internal sealed partial class WorkerJsonContext : JsonSerializerContext
{
}

/// <summary>A host-to-worker message.</summary>
internal sealed record WorkerRequest
{
    public required string Kind { get; init; }

    /// <summary>The script context (one notebook state) the request applies to.</summary>
    public long ContextId { get; init; }

    /// <summary>Contexts to unload (for <c>close</c>).</summary>
    public long[]? ContextIds { get; init; }

    /// <summary>
    /// For <c>run</c>: the submission to run, compiled and checked by the host. For <c>restore</c>: the optional tool
    /// prelude (tool functions and their types), run first in the new context.
    /// </summary>
    public ImageRef? Image { get; init; }

    /// <summary>For <c>restore</c>: the committed steps to replay, in order, into the new context.</summary>
    public ReplayStep[]? Steps { get; init; }

    /// <summary>For <c>close</c>: shared images no context will use again (discarded candidates).</summary>
    public long[]? DropImageIds { get; init; }

    /// <summary>For <c>tool_result</c>: whether the tool succeeded.</summary>
    public bool Ok { get; init; }

    /// <summary>For <c>tool_result</c>: the tool's JSON result.</summary>
    public JsonElement? Value { get; init; }

    /// <summary>For <c>tool_result</c>: the tool's error message.</summary>
    public string? Error { get; init; }
}

/// <summary>A worker-to-host message.</summary>
internal sealed record WorkerReply
{
    public required string Kind { get; init; }

    public string? Status { get; init; }
    public string? Output { get; init; }
    public string? ReturnValue { get; init; }
    public string? Error { get; init; }
    public int? Line { get; init; }
    public int? Column { get; init; }
    public string? FinalAnswer { get; init; }

    /// <summary>The worker's state may be unusable (e.g. after an out-of-memory): the host should replace it.</summary>
    public bool Recycle { get; init; }

    /// <summary>For <c>tool_call</c>: the tool's name.</summary>
    public string? Tool { get; init; }

    /// <summary>For <c>tool_call</c>: the arguments in parameter order.</summary>
    public JsonElement[]? Arguments { get; init; }

    /// <summary>For <c>stats</c>: the worker's view of its own memory.</summary>
    public WorkerStats? Stats { get; init; }
}

/// <summary>
/// A compiled script submission as the host ships it: the worker only loads and runs it (it never compiles, so a
/// compromised worker cannot weaken the policy that checked the code).
/// </summary>
/// <param name="Image">The submission assembly.</param>
/// <param name="Symbols">Its portable PDB (line numbers in runtime errors); may be null.</param>
/// <param name="EntryType">Metadata name of the submission class; null when the submission has no code to run.</param>
/// <param name="EntryMethod">Metadata name of its factory method.</param>
/// <param name="HasResult">True when the snippet's value (a trailing expression or a top-level <c>return</c>) is its result.</param>
internal sealed record SubmissionImage(byte[] Image, byte[]? Symbols, string? EntryType, string? EntryMethod, bool HasResult)
{
}

/// <summary>
/// A submission by reference. A worker loads a shared image once and every context of the run that replays or tries
/// it uses the same loaded assembly (no second load, no second JIT): its state lives in the context's submission
/// objects, not in the assembly. An image that declares static state is <see cref="Private"/>: each context loads its
/// own copy, and so does every later image of that context, which binds to the private copy's types.
/// </summary>
/// <param name="Id">Unique within the host process.</param>
/// <param name="ParentId">The image it was compiled on top of (0: none); its references to earlier submissions resolve there.</param>
/// <param name="Private">Load into the context's own load context, never share.</param>
/// <param name="Payload">The image itself; null when the host knows the worker has a shared image with this id already.</param>
internal sealed record ImageRef(long Id, long ParentId, bool Private, SubmissionImage? Payload)
{
    /// <summary>A submission run once in a throwaway context (one-shot snippets, the warm-up).</summary>
    public static ImageRef OneShot(SubmissionImage image) => new(0, 0, Private: true, image);
}

/// <summary>A committed step to replay: its image and the tool answers it received, in order.</summary>
/// <param name="Image">The step's submission.</param>
/// <param name="Answers">The answers to give its tool calls; a call that does not match the next answer goes to the host.</param>
internal sealed record ReplayStep(ImageRef Image, ReplayAnswer[] Answers)
{
}

/// <summary>One recorded tool answer.</summary>
/// <param name="Tool">The tool that was called.</param>
/// <param name="Ok">Whether it succeeded.</param>
/// <param name="Value">Its JSON result.</param>
/// <param name="Error">Its error message.</param>
internal sealed record ReplayAnswer(string Tool, bool Ok, JsonElement? Value, string? Error)
{
}

/// <summary>Memory figures the worker reports about itself (diagnostics and leak tests).</summary>
/// <param name="ManagedHeapBytes">Bytes in use on the managed heap after a full collection.</param>
/// <param name="OpenContexts">Script contexts currently open.</param>
/// <param name="UnloadedContextsAlive">Unloaded contexts whose assemblies are still in memory (should be 0 after a collection).</param>
internal sealed record WorkerStats(long ManagedHeapBytes, int OpenContexts, int UnloadedContextsAlive)
{
    /// <summary>Shared submission images loaded now.</summary>
    public int SharedImages { get; init; }
}
