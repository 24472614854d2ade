using System.ComponentModel;
using System.Globalization;
using Microsoft.SemanticKernel;

namespace AgentKit.SemanticKernel.Tests.Support;

public sealed record Forecast(string City, int Days, double[] HighsCelsius);

/// <summary>A real plugin whose functions cover the type mapping.</summary>
public sealed class CalendarPlugin
{
    [KernelFunction, Description("Adds days to an ISO date.")]
    public string AddDays([Description("ISO date, yyyy-MM-dd")] string date, [Description("Days to add")] int days = 1) =>
        DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [KernelFunction, Description("Sums integers.")]
    public long Sum(long[] values) => values.Sum();

    [KernelFunction, Description("Mean of numbers.")]
    public double Mean(List<double> values) => values.Average();

    [KernelFunction, Description("Is the date on a weekend?")]
    public bool IsWeekend(string date) => DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture).DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    [KernelFunction, Description("Splits text.")]
    public string[] Split(string text, string separator = ",") => text.Split(separator);

    [KernelFunction, Description("Forecast for a city.")]
    public Forecast GetForecast(string city, int days = 3) => new(city, days, [.. Enumerable.Range(0, days).Select(i => 20.5 + i)]);

    [KernelFunction, Description("Echoes text after a yield.")]
    public async Task<string> EchoAsync(string text)
    {
        await Task.Yield();
        return text;
    }

    [KernelFunction, Description("Always fails.")]
    public void Fail(string why) => throw new InvalidOperationException(why);

    [KernelFunction, Description("Reads a value the host put on the kernel.")]
    public string KernelValue(Kernel kernel, string key) => kernel.Data.TryGetValue(key, out var value) ? value?.ToString() ?? "" : "(none)";
}

public sealed class UnsupportedPlugin
{
    [KernelFunction]
    public string At(DateTime when) => when.ToString("O", CultureInfo.InvariantCulture);
}
