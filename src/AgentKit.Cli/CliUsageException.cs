namespace AgentKit.Cli;

/// <summary>Thrown by a verb for an invalid combination of arguments; reported with exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message)
{
    /// <summary>
    /// Returns <paramref name="create"/>'s value; an <see cref="ArgumentException"/> it throws (an options object refusing
    /// a value at construction) becomes a usage error, its message (<see cref="MessageOf"/>) passed through
    /// <paramref name="rename"/> when given (a library names its settings, the user typed options).
    /// </summary>
    public static T Check<T>(Func<T> create, Func<string, string>? rename = null) =>
        CheckWith(create, ex => rename is null ? MessageOf(ex) : rename(MessageOf(ex)));

    /// <summary>As <see cref="Check{T}"/>, with the usage message made from the whole exception.</summary>
    public static T CheckWith<T>(Func<T> create, Func<ArgumentException, string> message)
    {
        try
        {
            return create();
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(message(ex));
        }
    }

    /// <summary>
    /// The first line of <paramref name="ex"/>'s message without the <c> (Parameter 'Name')</c> suffix: the user typed
    /// no parameter, and an out-of-range exception's "Actual value" line repeats what they typed.
    /// </summary>
    public static string MessageOf(ArgumentException ex)
    {
        var message = ex.Message.Split(Environment.NewLine)[0];
        return ex.ParamName is { } name ? message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : message;
    }

    /// <summary>Awaits <paramref name="work"/>; an <see cref="ArgumentException"/> it throws becomes a usage error.</summary>
    public static async Task<T> CheckAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (ArgumentException ex)
        {
            throw new CliUsageException(MessageOf(ex));
        }
    }
}
