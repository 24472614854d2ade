// agentkit — one executable, one verb per job. Run `agentkit --help` for the list.
using AgentKit.Cli;

return await CliApp.RunAsync(args);
