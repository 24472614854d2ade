using System.Text;
using AgentKit.Fuzzing.Guidance;
using Microsoft.Extensions.AI;

namespace AgentKit.Fuzzing.Tests.Guidance;

public sealed class FrontierPromptTests
{
    private static FrontierQuestion Question(string seed = "unlock 5", bool base64 = false) =>
        new(7, "CommandParser::Interpret", "if (code % 97 != 42) // TARGET\n{\n    return;\n}\n", seed, base64, 1,
            FrontierQuestions.Instruction, 2);

    [Fact]
    public void The_user_turn_holds_the_slice_the_seed_and_the_instruction()
    {
        var messages = FrontierPrompt.Messages(Question());

        Assert.Equal([ChatRole.System, ChatRole.User], messages.Select(m => m.Role));
        var user = messages[1].Text;
        Assert.StartsWith("```csharp\nif (code % 97 != 42) // TARGET\n", user, StringComparison.Ordinal);
        Assert.Contains("Closest input:\n```\nunlock 5\n```\n", user, StringComparison.Ordinal);
        Assert.EndsWith(FrontierQuestions.Instruction, user, StringComparison.Ordinal);
        Assert.DoesNotContain("base64", user, StringComparison.Ordinal);
    }

    [Fact]
    public void A_binary_seed_is_shown_and_asked_for_as_base64()
    {
        var seed = Convert.ToBase64String([0xff, 0x00, 0x41]);
        var user = FrontierPrompt.UserText(Question(seed, base64: true));

        Assert.Contains("Closest input (base64):\n```\n" + seed + "\n```", user, StringComparison.Ordinal);
        Assert.EndsWith("Write the input as base64.", user, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("```\nunlock 42\n```", "unlock 42")]
    [InlineData("Here it is:\n```text\nunlock 42\nopen 1\n```\nDone.", "unlock 42\nopen 1")]
    [InlineData("unlock 42\n", "unlock 42")]
    [InlineData("```\nunlock 4", "unlock 4")] // cut at the token limit inside the fence
    [InlineData("```\n```", "")]
    [InlineData("```unlock```", "```unlock```")] // no fence line: the text as is
    public void The_input_is_the_first_fence_or_the_whole_text(string completion, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(FrontierPrompt.ExtractInput(completion, base64: false)));

    [Fact]
    public void Base64_answers_are_decoded_and_text_that_is_not_base64_is_kept()
    {
        Assert.Equal([0xff, 0x00, 0x41], FrontierPrompt.ExtractInput("```\n/wBB\n```", base64: true));
        Assert.Equal("not base64!"u8.ToArray(), FrontierPrompt.ExtractInput("```\nnot base64!\n```", base64: true));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void An_answer_text_extracts_back_to_its_input(bool base64)
    {
        byte[] input = base64 ? [0xff, 0x0a, 0x60] : "unlock 139\nopen 2"u8.ToArray();
        Assert.Equal(input, FrontierPrompt.ExtractInput(FrontierPrompt.AnswerText(input, base64), base64));
    }
}
