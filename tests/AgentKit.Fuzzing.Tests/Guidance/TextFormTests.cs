using System.Text;
using AgentKit.Fuzzing.Execution;
using AgentKit.Fuzzing.Guidance;
using AgentKit.Fuzzing.Instrumentation;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class TextFormTests(ToyBlockTargets toy) : IClassFixture<ToyBlockTargets>
{
    private static readonly byte[] Invalid = [(byte)'[', (byte)'a', 0xFF, 0xC3, (byte)']', (byte)'\n', (byte)'k', (byte)'=', (byte)'v'];

    [Fact]
    public void The_text_form_replaces_each_invalid_sequence_and_is_its_own_text_form()
    {
        var text = TextForm.Of(Invalid)!;

        Assert.True(TextForm.IsUtf8(text));
        Assert.Equal("[a\uFFFD\uFFFD]\nk=v", Encoding.UTF8.GetString(text));
        Assert.Equal(Encoding.UTF8.GetString(Invalid), Encoding.UTF8.GetString(text)); // what a text harness reads
        Assert.Null(TextForm.Of(text));
        Assert.Null(TextForm.Of("plain é"u8.ToArray()));
        Assert.False(TextForm.IsUtf8(Invalid));
    }

    [Fact]
    public void A_text_harness_runs_the_text_form_through_the_same_blocks_so_it_stands_in()
    {
        var (input, blocks) = TextForm.Replay(toy.Config, Invalid);

        Assert.Equal(TextForm.Of(Invalid), input);
        Assert.True(blocks.SetEquals(toy.Config.Run(Invalid).Blocks));
        Assert.NotEmpty(blocks);
    }

    [Fact]
    public void A_byte_harness_that_branches_on_the_byte_keeps_the_input_as_it_is()
    {
        var manifest = BlockModeTarget.Create(toy.Target, FuzzHarness.Static("AgentKit.Fuzzing.ToyParser.ByteHeader.Parse", []),
            Path.Combine(Path.GetTempPath(), "agentkit-fuzz-tests", "bytes-" + Guid.NewGuid().ToString("N")[..8]));
        using var bytes = new BlockCoverageRunner(manifest, TimeSpan.FromSeconds(5), 256);
        byte[] header = [0xFF, (byte)'x'];

        var (input, blocks) = TextForm.Replay(bytes, header);

        Assert.Same(header, input);
        Assert.False(blocks.SetEquals(bytes.Run(TextForm.Of(header)!).Blocks)); // the text form would lose the branch
    }

    [Fact]
    public void A_campaign_input_that_is_not_utf8_answers_its_hindsight_question_as_text()
    {
        var dir = ToyTarget.CommandCampaign(ToyTarget.Cache, "x", "open 5", "placeholder");
        File.WriteAllBytes(Path.Combine(dir, "corpus", "id-000002"), [(byte)'o', 0xFF, (byte)'n']); // the lexer's rejection

        var pairs = HindsightPairs.FromCampaign(dir, new FrontierQuestionOptions { Max = 100 });

        var rejection = Assert.Single(pairs, p => p.CorpusIndex == 2);
        Assert.Equal("o\uFFFDn", Encoding.UTF8.GetString(rejection.Input));
        Assert.False(rejection.Question.SeedIsBase64);
        Assert.Contains("o\uFFFDn", rejection.AnswerText());
    }
}
