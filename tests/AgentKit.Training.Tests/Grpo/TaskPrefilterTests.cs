using System.Text.Json;
using AgentKit.Training.Grpo;
using AgentKit.Training.Grpo.Rewards;
using AgentKit.Training.Grpo.Rollouts;

namespace AgentKit.Training.Tests.Grpo;

public sealed class TaskPrefilterTests
{
    // toy-0 and toy-1 are always solved, toy-2 and toy-3 never; the others score the toy band, whose share varies
    // among completions of an untrained model.
    private static readonly DelegateReward ByTask = new("by-task", r => r.Task.Id switch
    {
        "toy-0" or "toy-1" => 1,
        "toy-2" or "toy-3" => 0,
        _ => ToyTask.Reward.Score(r).Value,
    });

    private static GrpoOptions Options(string outDir, int steps = 3) => new()
    {
        OutputDirectory = outDir, MaxSteps = steps, GroupSize = 4, PromptsPerStep = 2, MaxCompletionLength = ToyTask.Length,
        LearningRate = 3e-3, PrefilterSamples = 8, Seed = 5, Threads = 1,
    };

    [Fact]
    public async Task Only_tasks_whose_rewards_differ_under_the_starting_policy_are_trained_on()
    {
        var dir = TinyFixtures.TempDir();
        using var model = ToyTask.NewModel();
        var result = await new GrpoTrainer(Options(dir), new PolicyRolloutSource(ToyTask.Tokenizer), [ByTask], ToyTask.Tokenizer)
            .TrainAsync(model, ToyTask.Tasks);

        var records = File.ReadAllLines(Path.Combine(dir, GrpoRunFiles.Prefilter))
            .Select(l => JsonSerializer.Deserialize<PrefilterRecord>(l, GrpoRunFiles.Json)!).ToList();
        Assert.Equal(ToyTask.Tasks.Select(t => t.Id), records.Select(r => r.TaskId));
        Assert.All(records, r => Assert.Equal(8, r.Samples));
        Assert.All(records.Where(r => r.TaskId is "toy-0" or "toy-1" or "toy-2" or "toy-3"), r => Assert.False(r.Kept));
        var kept = records.Where(r => r.Kept).Select(r => r.TaskId).ToHashSet();
        Assert.NotEmpty(kept);
        Assert.All(records.Where(r => r.Kept), r => Assert.True(r.RewardStd > 0));
        Assert.Equal(kept.Count, result.TasksTrained);
        Assert.True(result.PrefilterSeconds > 0);
        var trainedOn = File.ReadAllLines(Path.Combine(dir, GrpoRunFiles.Rollouts))
            .Select(l => JsonSerializer.Deserialize<GrpoRolloutRecord>(l, GrpoRunFiles.Json)!.TaskId).ToHashSet();
        Assert.Subset(kept, trainedOn); // no step drew a task the prefilter left out
    }

    [Fact]
    public async Task A_resumed_run_reads_its_prefilter_instead_of_sampling_it_from_trained_weights()
    {
        var dir = TinyFixtures.TempDir();
        using (var first = ToyTask.NewModel())
            await new GrpoTrainer(Options(dir, steps: 2) with { SaveEvery = 1 }, new PolicyRolloutSource(ToyTask.Tokenizer), [ByTask], ToyTask.Tokenizer)
                .TrainAsync(first, ToyTask.Tasks);
        var written = File.ReadAllText(Path.Combine(dir, GrpoRunFiles.Prefilter));

        var counting = new CountingSource(new PolicyRolloutSource(ToyTask.Tokenizer));
        using var second = ToyTask.NewModel();
        var result = await new GrpoTrainer(Options(dir, steps: 3), counting, [ByTask], ToyTask.Tokenizer).TrainAsync(second, ToyTask.Tasks);

        Assert.Equal(2, result.ResumedFromStep);
        Assert.Equal(0, result.PrefilterSeconds);
        Assert.Equal(written, File.ReadAllText(Path.Combine(dir, GrpoRunFiles.Prefilter)));
        Assert.All(counting.GroupSizes, g => Assert.Equal(4, g)); // only step 3's groups, no group of 8
    }

    [Fact]
    public async Task Tasks_all_solved_or_all_failed_are_refused_before_any_step()
    {
        var dir = TinyFixtures.TempDir();
        var constant = new DelegateReward("constant", _ => 1.0);
        using var model = ToyTask.NewModel();
        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            new GrpoTrainer(Options(dir), new PolicyRolloutSource(ToyTask.Tokenizer), [constant], ToyTask.Tokenizer).TrainAsync(model, ToyTask.Tasks));
        Assert.Contains("no task's rewards differed among 8 completions", error.Message);
        Assert.False(File.Exists(Path.Combine(dir, GrpoRunFiles.Metrics)));
    }

    [Fact]
    public async Task Resuming_a_run_started_without_a_prefilter_with_one_is_refused()
    {
        var dir = TinyFixtures.TempDir();
        using (var first = ToyTask.NewModel())
            await new GrpoTrainer(Options(dir, steps: 2) with { PrefilterSamples = 0, SaveEvery = 1 }, new PolicyRolloutSource(ToyTask.Tokenizer), [ByTask], ToyTask.Tokenizer)
                .TrainAsync(first, ToyTask.Tasks);
        using var second = ToyTask.NewModel();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new GrpoTrainer(Options(dir, steps: 3), new PolicyRolloutSource(ToyTask.Tokenizer), [ByTask], ToyTask.Tokenizer).TrainAsync(second, ToyTask.Tasks));
        Assert.Contains("started without a prefilter", error.Message);
    }

    private const string KeptLine = "{\"task_id\":\"toy-4\",\"samples\":8,\"reward_mean\":0.1,\"reward_std\":0.1,\"kept\":true}";

    [Theory]
    [InlineData(KeptLine + "\n{\"task_id\":\"toy-5\",\"sam", "prefilter.jsonl:2: not a prefilter record")] // cut mid-line: names the line
    [InlineData(KeptLine + "\n{\"task_id\":\"toy-5\",\"sam", "delete the file to sample the prefilter again")]
    [InlineData("{\"task_id\":\"other-1\",\"samples\":8,\"reward_mean\":0.1,\"reward_std\":0.1,\"kept\":true}\n",
        "keeps 1 task(s), none of them in this task file")] // written for another task file, not "nothing to learn"
    public async Task A_prefilter_file_that_cannot_be_this_runs_is_refused_saying_why(string content, string message)
    {
        var dir = TinyFixtures.TempDir();
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, GrpoRunFiles.Prefilter), content);
        using var model = ToyTask.NewModel();
        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            new GrpoTrainer(Options(dir), new PolicyRolloutSource(ToyTask.Tokenizer), [ByTask], ToyTask.Tokenizer).TrainAsync(model, ToyTask.Tasks));
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(257)]
    public void A_prefilter_of_fewer_than_two_samples_is_invalid(int samples) =>
        Assert.Contains("PrefilterSamples", Assert.Throws<ArgumentException>(() => (Options("out") with { PrefilterSamples = samples }).Validate()).Message);

    private sealed class CountingSource(IRolloutSource inner) : IRolloutSource
    {
        public List<int> GroupSizes { get; } = [];

        public Task<IReadOnlyList<Rollout>> SampleGroupAsync(RolloutRequest request, CancellationToken cancellationToken = default)
        {
            GroupSizes.Add(request.GroupSize);
            return inner.SampleGroupAsync(request, cancellationToken);
        }
    }
}
