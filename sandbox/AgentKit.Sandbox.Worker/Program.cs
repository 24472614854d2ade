// The sandbox worker: started by AgentKit.Sandbox's pool, never by hand.
//   dotnet AgentKit.Sandbox.Worker.dll --max-output-chars 20000 --regex-timeout-ms 1000 --memory-limit-mb 512 --max-tool-argument-chars 100000
// Speaks line-delimited JSON on stdin/stdout (see Protocol/WorkerProtocol.cs).
using AgentKit.Sandbox.Protocol;
using AgentKit.Sandbox.Worker;
using AgentKit.Sandbox.Worker.Output;
using AgentKit.Sandbox.Worker.Protocol;

var settings = WorkerSettings.Parse(args);

// Must precede any Regex use: every pattern a snippet builds gets this match timeout (catastrophic backtracking).
AppContext.SetData("REGEX_DEFAULT_MATCH_TIMEOUT", TimeSpan.FromMilliseconds(settings.RegexTimeoutMs));

// Take the real pipes first, then point Console at the capture buffer: snippets can print but never write
// protocol messages, and they cannot read the host's requests.
var channel = new HostChannel(Console.OpenStandardInput(), Console.OpenStandardOutput());
var capture = new CappedWriter(settings.MaxOutputChars);
Console.SetOut(capture);
Console.SetError(capture);
Console.SetIn(TextReader.Null);

ParentWatchdog.Start();
channel.Send(new WorkerReply { Kind = WorkerProtocol.Replies.Ready });
new WorkerHost(channel, capture, settings).Serve();
return 0;
