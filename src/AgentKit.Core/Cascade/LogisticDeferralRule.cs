using System.Text.Json;
using System.Text.Json.Serialization;
using AgentKit.Abstractions.Models;

namespace AgentKit.Core.Cascade;

/// <summary>
/// A learned rule: the probability that a step leads to a wrong run, from a logistic regression over all the token
/// statistics (standardised). Fitted from recorded runs with <see cref="Fit"/>, saved as JSON so <c>--defer
/// logistic:FILE:THRESHOLD</c> can load it.
/// </summary>
public sealed class LogisticDeferralRule : IDeferralRule
{
    /// <summary>The features, in the order of <see cref="Weights"/>.</summary>
    public static readonly IReadOnlyList<string> FeatureNames = ["total", "mean", "min", "p10", "p25", "p50", "log_tokens"];

    /// <summary>Creates a rule from fitted parameters (all arrays as long as <see cref="FeatureNames"/>).</summary>
    /// <exception cref="ArgumentException">An array has the wrong length, or a value is not finite, or a scale is not positive.</exception>
    public LogisticDeferralRule(IReadOnlyList<double> mean, IReadOnlyList<double> scale, IReadOnlyList<double> weights, double bias)
    {
        foreach (var (name, values) in new[] { ("mean", mean), ("scale", scale), ("weights", weights) })
        {
            ArgumentNullException.ThrowIfNull(values, name);
            if (values.Count != FeatureNames.Count)
                throw new ArgumentException($"{name} needs {FeatureNames.Count} values ({string.Join(", ", FeatureNames)}), got {values.Count}.");
            if (values.Any(v => !double.IsFinite(v)))
                throw new ArgumentException($"{name} has a value that is not a finite number.");
        }
        if (scale.Any(s => s <= 0))
            throw new ArgumentException("every scale must be positive.");
        if (!double.IsFinite(bias))
            throw new ArgumentException("the bias must be a finite number.");
        Mean = [.. mean];
        Scale = [.. scale];
        Weights = [.. weights];
        Bias = bias;
    }

    /// <summary>Feature means the inputs are centred with.</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Feature standard deviations the inputs are divided by.</summary>
    public IReadOnlyList<double> Scale { get; }

    /// <summary>Weights of the standardised features.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Intercept.</summary>
    public double Bias { get; }

    /// <inheritdoc />
    public string Name => "logistic";

    /// <summary>The probability that the step leads to a wrong run.</summary>
    public double Uncertainty(TokenUncertainty features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var x = Vector(features);
        var z = Bias;
        for (var i = 0; i < x.Length; i++)
            z += Weights[i] * (x[i] - Mean[i]) / Scale[i];
        return Sigmoid(z);
    }

    /// <summary>The raw feature vector of <paramref name="features"/>, in the order of <see cref="FeatureNames"/>.</summary>
    public static double[] Vector(TokenUncertainty features)
    {
        ArgumentNullException.ThrowIfNull(features);
        return [features.Total, features.Mean, features.Min, features.P10, features.P25, features.P50, Math.Log(1 + features.Tokens)];
    }

    /// <summary>
    /// Fits the rule by full-batch gradient descent on the mean log loss with an L2 penalty (deterministic: same samples,
    /// same rule). Labels are true for a step whose run ended wrong.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two samples, or only one label.</exception>
    public static LogisticDeferralRule Fit(IReadOnlyList<DeferralSample> samples, int iterations = 2000, double learningRate = 0.5, double l2 = 1e-3)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2 || samples.All(s => s.Failed) || samples.All(s => !s.Failed))
            throw new ArgumentException($"fitting needs steps of both right and wrong runs; got {samples.Count(s => s.Failed)} wrong of {samples.Count}.");
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var n = FeatureNames.Count;
        var rows = samples.Select(s => Vector(s.Features)).ToList();
        var mean = Enumerable.Range(0, n).Select(j => rows.Average(r => r[j])).ToArray();
        var scale = Enumerable.Range(0, n).Select(j =>
        {
            var sd = Math.Sqrt(rows.Average(r => (r[j] - mean[j]) * (r[j] - mean[j])));
            return sd > 1e-12 ? sd : 1.0; // a constant feature stays at 0 after centring
        }).ToArray();
        var z = rows.Select(r => Enumerable.Range(0, n).Select(j => (r[j] - mean[j]) / scale[j]).ToArray()).ToList();
        var y = samples.Select(s => s.Failed ? 1.0 : 0.0).ToArray();

        var w = new double[n];
        var b = Math.Log((y.Sum() + 0.5) / (y.Length - y.Sum() + 0.5)); // start from the base rate
        for (var it = 0; it < iterations; it++)
        {
            var gw = new double[n];
            var gb = 0.0;
            for (var i = 0; i < z.Count; i++)
            {
                var p = Sigmoid(b + Dot(w, z[i]));
                var d = p - y[i];
                gb += d;
                for (var j = 0; j < n; j++)
                    gw[j] += d * z[i][j];
            }
            for (var j = 0; j < n; j++)
                w[j] -= learningRate * (gw[j] / z.Count + l2 * w[j]);
            b -= learningRate * gb / z.Count;
        }
        return new LogisticDeferralRule(mean, scale, w, b);
    }

    /// <summary>Writes the rule as JSON.</summary>
    public void Save(string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(new RuleFile("logistic", [.. FeatureNames], [.. Mean], [.. Scale], [.. Weights], Bias), s_json));

    /// <summary>Reads a rule written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a logistic deferral rule of these features.</exception>
    public static LogisticDeferralRule Load(string path)
    {
        RuleFile? file;
        try
        {
            file = JsonSerializer.Deserialize<RuleFile>(File.ReadAllText(path), s_json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a deferral rule file: {ex.Message}", ex);
        }
        if (file is null || file.Kind != "logistic" || file.Features is null || !file.Features.SequenceEqual(FeatureNames))
            throw new InvalidDataException($"{path} is not a logistic deferral rule over [{string.Join(", ", FeatureNames)}].");
        try
        {
            return new LogisticDeferralRule(file.Mean ?? [], file.Scale ?? [], file.Weights ?? [], file.Bias);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }
    }

    private static double Dot(double[] a, double[] b)
    {
        var s = 0.0;
        for (var i = 0; i < a.Length; i++)
            s += a[i] * b[i];
        return s;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private sealed record RuleFile(
        [property: JsonPropertyName("kind")] string Kind,
        [property: JsonPropertyName("features")] string[]? Features,
        [property: JsonPropertyName("mean")] double[]? Mean,
        [property: JsonPropertyName("scale")] double[]? Scale,
        [property: JsonPropertyName("weights")] double[]? Weights,
        [property: JsonPropertyName("bias")] double Bias);
}
