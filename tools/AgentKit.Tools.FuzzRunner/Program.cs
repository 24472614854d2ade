// The fuzzing worker. Started by the engine, never by hand:
//   dotnet AgentKit.Tools.FuzzRunner.dll serve  target.json          (builtin engine: stdin/stdout protocol)
//   dotnet AgentKit.Tools.FuzzRunner.dll replay target.json INPUT    (run one input, print the exception and stack)
//   afl-fuzz ... -- dotnet AgentKit.Tools.FuzzRunner.dll afl target.json   (afl fork server; it starts 'afl-child target.json')
using AgentKit.Fuzzing.Shared;
using AgentKit.Tools.FuzzRunner;

if (args.Length < 2 || args[0] is not ("serve" or "replay" or "afl" or "afl-child"))
{
    Console.Error.WriteLine("usage: AgentKit.Tools.FuzzRunner serve|afl|afl-child TARGET.json | replay TARGET.json INPUT");
    return 2;
}

try
{
    return args[0] switch
    {
        "serve" => ServeLoop.Run(TargetManifest.Load(args[1])),
        "replay" => Replay.Run(TargetManifest.Load(args[1]), args.Length > 2 ? args[2] : throw new ArgumentException("replay needs an input file")),
        "afl-child" => AflChild.Run(TargetManifest.Load(args[1])),
        _ => AflHarness.Run(TargetManifest.Load(args[1]), Path.GetFullPath(args[1])),
    };
}
catch (Exception ex) when (ex is InvalidOperationException or IOException or ArgumentException or BadImageFormatException or InvalidDataException or System.Text.Json.JsonException)
{
    // Setup errors (missing type, bad manifest) are reported distinctly so the engine does not file them as crashes.
    Console.Error.WriteLine($"fuzz runner setup failed: {ex.Message}");
    return WorkerProtocol.SetupFailedExitCode;
}
