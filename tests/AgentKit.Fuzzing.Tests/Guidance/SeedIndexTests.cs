using System.Text;
using AgentKit.Fuzzing.Guidance;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class SeedIndexTests(ToyBlockTargets toy) : IClassFixture<ToyBlockTargets>
{
    private static readonly string[] Corpus = ["x", "open 5", "unlock abc", "unlock 12345", "unlock 5", "unlock", "open 55 x", "u n l o c k"];

    /// <summary>The definition the index must agree with: every input's least distance, then (distance, length, order).</summary>
    private static (int Index, int Distance)? BruteForce(BranchDistance distance, IReadOnlyList<(byte[] Input, IReadOnlySet<int> Blocks)> corpus,
        int? budget, int limit)
    {
        var reaching = corpus.Take(limit).Select((c, i) => (i, c.Input.Length, Distance: distance.Nearest(c.Blocks)))
            .Where(c => c.Distance is not null).ToList();
        if (budget is { } b && reaching.Any(c => c.Length <= b))
            reaching = reaching.Where(c => c.Length <= b).ToList();
        return reaching.OrderBy(c => c.Distance).ThenBy(c => c.Length).ThenBy(c => c.i).Select(c => ((int, int)?)(c.i, c.Distance!.Value)).FirstOrDefault();
    }

    [Fact]
    public void The_closest_seed_of_every_block_matches_measuring_every_input_for_each_budget_and_corpus_prefix()
    {
        var corpus = Corpus.Select(Encoding.UTF8.GetBytes).Select(input => (input, toy.Commands.Run(input).Blocks)).ToList();
        var index = new SeedIndex(toy.Map, corpus, callWeight: 2);
        var checkedTargets = 0;

        foreach (var block in toy.Map.Blocks)
        {
            var distance = new BranchDistance(toy.Map, block.ProbeId, 2);
            foreach (var budget in new int?[] { null, 1, 6, 9, 100 })
                foreach (var limit in new[] { 1, 3, 5, corpus.Count })
                    Assert.Equal(BruteForce(distance, corpus, budget, limit), index.Closest(block.ProbeId, budget, limit));
            checkedTargets++;
        }

        Assert.True(checkedTargets > 20, $"{checkedTargets}");
        Assert.Null(index.Closest(int.MaxValue, null)); // a block no input reaches
    }
}
