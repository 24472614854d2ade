using AgentKit.Abstractions.Trajectories;
using AgentKit.Core;
using AgentKit.Core.Running;

namespace AgentKit.Hosting.Evaluation;

/// <summary>Runs an agent on tasks one after another; a failed run is a wrong result carrying its error, and evaluation goes on.</summary>
public static class TaskEvaluator
{
    /// <summary>Runs every task in order, reporting each result as it is known.</summary>
    public static async Task<IReadOnlyList<TaskResult>> RunAllAsync(Agent agent, IReadOnlyList<TrajectoryTask> tasks, IProgress<TaskResult>? progress,
        CancellationToken cancellationToken = default)
    {
        var results = new List<TaskResult>();
        foreach (var task in tasks)
        {
            var result = await RunOneAsync(agent, task, null, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            progress?.Report(result);
        }
        return results;
    }

    /// <summary>Runs one task; a failure other than cancellation becomes a wrong result carrying its error.</summary>
    public static async Task<TaskResult> RunOneAsync(Agent agent, TrajectoryTask task, AgentRunSettings? settings, CancellationToken cancellationToken = default)
    {
        try
        {
            return TaskResult.From((await agent.RunAsync(task, settings, cancellationToken).ConfigureAwait(false)).Trajectory);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
        {
            return new TaskResult(task.Id, task.Question, null, task.ReferenceAnswer, false, 0, 0, 0, 0, ex.Message);
        }
    }
}
