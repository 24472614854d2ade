using System.Globalization;
using System.Text.RegularExpressions;
using AgentKit.Fuzzing.Engine;
using AgentKit.Fuzzing.Execution;

namespace AgentKit.Fuzzing.Afl;

/// <summary>
/// Brings afl's output into our campaign directory: queue entries into <c>corpus/</c>, hangs into <c>hangs/</c>, and
/// crashes into <c>crashes/</c> after replaying each through our own runner, so they get the same ids, kinds and
/// signatures (exception type + top frames) as the builtin engine's, and afl's many files per bug collapse to one.
/// </summary>
internal static partial class AflFindings
{
    private const int MaxReplays = 200; // afl can save thousands of crash files for one shallow bug

    /// <summary>Copies queue entries afl found (not the seeds we gave it) into <c>corpus/</c>; returns how many.</summary>
    public static int ImportQueue(CampaignDirectory directory, IEnumerable<string> instanceDirs)
    {
        var imported = 0;
        foreach (var file in instanceDirs.Select(d => Path.Combine(d, "queue")).Where(Directory.Exists).SelectMany(Directory.EnumerateFiles))
        {
            if (Path.GetFileName(file).Contains(",orig:", StringComparison.Ordinal))
                continue; // our own corpus and seeds, possibly ones afl skipped because they crash or hang
            directory.SaveCorpus(File.ReadAllBytes(file));
            imported++;
        }
        return imported;
    }

    /// <summary>Copies afl's hangs into <c>hangs/</c> (named by content hash, so repeats collapse).</summary>
    public static void ImportHangs(CampaignDirectory directory, IEnumerable<string> instanceDirs)
    {
        foreach (var file in instanceDirs.Select(d => Path.Combine(d, "hangs")).Where(Directory.Exists).SelectMany(d => Directory.EnumerateFiles(d, "id:*")))
            directory.SaveHang(File.ReadAllBytes(file));
    }

    /// <summary>
    /// Replays afl's crash files through a worker and saves each new signature as a crash of ours.
    /// Returns the new crashes, the wall-clock seconds from <paramref name="startedUtc"/> to the earliest of them (afl's
    /// file time, so afl's start-up counts as the builtin engine's worker start-up does), and how many did not reproduce.
    /// </summary>
    public static (List<FuzzCrash> Added, double? FirstSeconds, int Unreproduced) ImportCrashes(
        CampaignDirectory directory, IEnumerable<string> instanceDirs, WorkerLaunch launch, FuzzCampaignOptions options, DateTime startedUtc)
    {
        var files = instanceDirs.Select(d => Path.Combine(d, "crashes")).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "id:*")).OrderBy(TimeOf).Take(MaxReplays).ToList();
        var known = directory.ReadCrashes().Select(c => c.Signature).ToHashSet(StringComparer.Ordinal);
        var count = directory.ReadCrashes().Count();
        var added = new List<FuzzCrash>();
        double? first = null;
        var unreproduced = 0;
        if (files.Count == 0)
            return (added, first, unreproduced);

        var worker = new WorkerProcess(launch, options.TimeProvider);
        try
        {
            foreach (var file in files)
            {
                var input = File.ReadAllBytes(file);
                var result = worker.Execute(input, options.ExecTimeout);
                string kind, signature;
                switch (result.Kind)
                {
                    case ExecKind.Crash:
                        kind = CrashSignature.KindOf(result.ExceptionType!);
                        signature = CrashSignature.ForException(result.ExceptionType!, result.StackTrace ?? "");
                        break;
                    case ExecKind.Died:
                        (kind, signature) = CrashSignature.ForDeath(result.ExitCode, result.Stderr ?? "");
                        break;
                    default:
                        // Ran clean or hung here: afl counted a child that died for another reason (e.g. a restart under load).
                        unreproduced++;
                        if (result.Kind == ExecKind.Hang)
                            directory.SaveHang(input);
                        if (result.Kind != ExecKind.Ok)
                            worker = Replace(worker, launch, options);
                        continue;
                }
                if (result.Kind == ExecKind.Died)
                    worker = Replace(worker, launch, options);
                if (!known.Add(signature))
                    continue;
                var id = $"crash-{++count:D4}-{CampaignDirectory.Hash(input)[..8]}";
                var seconds = Math.Max(0, (File.GetLastWriteTimeUtc(file) - startedUtc).TotalSeconds);
                var saved = directory.SaveCrash(id, input, new CrashRecord(id, kind, signature, result.ExceptionType, result.Message,
                    result.StackTrace ?? result.Stderr, result.ExitCode, input.Length, input.Length, seconds));
                added.Add(new FuzzCrash(id, kind, saved, signature));
                first = first is null ? seconds : Math.Min(first.Value, seconds);
            }
        }
        finally
        {
            worker.Dispose();
        }
        return (added, first, unreproduced);
    }

    private static WorkerProcess Replace(WorkerProcess worker, WorkerLaunch launch, FuzzCampaignOptions options)
    {
        worker.Dispose();
        return new WorkerProcess(launch, options.TimeProvider);
    }

    /// <summary>afl++ names findings <c>id:N,…,time:MS,…</c> (milliseconds since that instance started): the replay order.</summary>
    internal static long TimeOf(string file) =>
        TimeField().Match(Path.GetFileName(file)) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : long.MaxValue;

    [GeneratedRegex(@",time:(\d+)")]
    private static partial Regex TimeField();
}
