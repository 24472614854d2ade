using AgentKit.Training.Model;
using static TorchSharp.torch;

namespace AgentKit.Training.Tests.Model;

/// <summary>
/// <see cref="TensorOps"/> replaces TorchSharp's operators in the model, the losses and sampling: every result must equal
/// the operator's bit for bit (same values, same dtype), or checkpoints and resumed runs would drift.
/// </summary>
public sealed class TensorOpsTests
{
    [Fact]
    public void Arithmetic_equals_the_operators_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(11);
        var a = randn([64, 33], generator: generator);
        var b = randn([64, 33], generator: generator);
        const float temperature = 0.7f;

        AssertSame(a + b, TensorOps.Add(a, b));
        AssertSame(a + 1e-5, TensorOps.Add(a, 1e-5));
        AssertSame(a.to_type(ScalarType.Int64) + 7L, TensorOps.Add(a.to_type(ScalarType.Int64), 7));
        AssertSame(a - 1, TensorOps.Sub(a, 1));
        AssertSame(a * 0.3, TensorOps.Mul(a, 0.3));
        AssertSame(a / temperature, TensorOps.Div(a, temperature));
        AssertSame(a / 3, TensorOps.Div(a, 3));
        AssertSame(a.to_type(ScalarType.Int64) / 3, TensorOps.Div(a.to_type(ScalarType.Int64), 3));
        AssertSame(a.pow(2), TensorOps.Pow(a, 2));
        AssertSame(a.clamp(1 - 0.2, 1 + 0.28), TensorOps.Clamp(a, 1 - 0.2, 1 + 0.28));
        AssertSame(a.clamp_min(1), TensorOps.ClampMin(a, 1));
        AssertSame(a.masked_fill(b > 0, 0), TensorOps.MaskedFill(a, b > 0, 0));
    }

    [Fact]
    public void Comparisons_equal_the_operators()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(12);
        var a = randn([40, 40], generator: generator);
        const float topP = 0.9f;

        AssertSame(a > 0.25, TensorOps.Gt(a, 0.25));
        AssertSame(a.gt(0), TensorOps.Gt(a, 0));
        AssertSame(a < -0.5, TensorOps.Lt(a, -0.5));
        AssertSame(a < 0, TensorOps.Lt(a, 0));
        AssertSame(a >= topP, TensorOps.Ge(a, topP));
    }

    [Fact]
    public void In_place_addition_changes_and_returns_its_target()
    {
        using var scope = NewDisposeScope();
        var x = arange(6, dtype: ScalarType.Float32);
        var expected = x + x;

        var result = TensorOps.AddInPlace(x, x.clone());

        AssertSame(expected, x);
        Assert.Same(x, result);
    }

    [Fact]
    public void Factories_equal_torch_s_with_the_same_dtype_inference()
    {
        using var scope = NewDisposeScope();
        AssertSame(arange(5, 17), TensorOps.Arange(5, 17));
        AssertSame(arange(9), TensorOps.Arange(0, 9));
        AssertSame(arange(0, 32, 2, dtype: ScalarType.Float64), TensorOps.Arange(0, 32, 2, ScalarType.Float64));
        AssertSame(full(7, 1, -1f), TensorOps.Full([7, 1], -1f));
    }

    private static void AssertSame(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.Equals(actual), "values differ");
    }
}
