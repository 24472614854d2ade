using AgentKit.Fuzzing.Guidance;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class MethodHoldoutTests
{
    private static HindsightPair Pair(string method, int target) =>
        new(new FrontierQuestion(target, method, "slice", "seed", false, 1, FrontierQuestions.Instruction, 0), [1], target);

    private static List<HindsightPair> Pairs(int methods, int perMethod) =>
        [.. Enumerable.Range(0, methods).SelectMany(m => Enumerable.Range(0, perMethod).Select(i => Pair($"Ns.Type::Method{m}", m * 100 + i)))];

    [Fact]
    public void The_split_is_by_method_and_the_same_on_every_call()
    {
        var pairs = Pairs(40, 3);

        var split = MethodHoldout.Split(pairs, 0.25, seed: 0);
        var again = MethodHoldout.Split([.. pairs.AsEnumerable().Reverse()], 0.25, seed: 0);

        var trainMethods = split.Train.Select(p => p.Question.Method).ToHashSet();
        var heldMethods = split.HeldOut.Select(p => p.Question.Method).ToHashSet();
        Assert.Empty(trainMethods.Intersect(heldMethods));
        Assert.Equal(pairs.Count, split.Train.Count + split.HeldOut.Count);
        Assert.Equal(heldMethods, split.HeldOutMethods.ToHashSet());
        Assert.Equal(split.HeldOutMethods.Order(), again.HeldOutMethods.Order()); // input order does not matter
        Assert.Equal(40, split.Methods);
        Assert.Equal(3 * split.HeldOutMethods.Count, split.HeldOut.Count); // every pair of a held-out method left
        Assert.NotEqual(split.HeldOutMethods.Order(), MethodHoldout.Split(pairs, 0.25, seed: 1).HeldOutMethods.Order());
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.3)]
    [InlineData(0.5)]
    public void About_the_fraction_of_many_methods_is_held_out(double fraction)
    {
        var split = MethodHoldout.Split(Pairs(500, 1), fraction);

        Assert.InRange(split.HeldOutMethods.Count, (int)(fraction * 500) - 1, (int)(fraction * 500) + 1);
    }

    [Fact]
    public void Few_methods_keep_both_sides_and_bad_fractions_are_refused()
    {
        Assert.Single(MethodHoldout.Split(Pairs(2, 2), 0.1).HeldOutMethods);  // a positive fraction holds out one
        Assert.Single(MethodHoldout.Split(Pairs(2, 2), 0.9).HeldOutMethods);  // and leaves one to train on
        Assert.Empty(MethodHoldout.Split(Pairs(1, 3), 0.5).HeldOut);           // a single method cannot be split
        Assert.Empty(MethodHoldout.Split(Pairs(5, 1), 0).HeldOut);
        Assert.Throws<ArgumentOutOfRangeException>(() => MethodHoldout.Split(Pairs(5, 1), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MethodHoldout.Split(Pairs(5, 1), -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MethodHoldout.Split(Pairs(5, 1), double.NaN));
        Assert.Equal(MethodHoldout.Rank("A::B", 3), MethodHoldout.Rank("A::B", 3));
    }
}
