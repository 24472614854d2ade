using AgentKit.Core.Actions;
using AgentKit.Tools.Dogfood.Harnesses;

namespace AgentKit.Fuzzing.Tests.Dogfood;

/// <summary>Findings of the dogfood campaign against the action parser, as the minimal inputs it saved.</summary>
public sealed class ActionParserRegressionTests
{
    [Theory]
    // Found: "\r\r\n" became a new "\r\n" after one Replace, so the canonical text parsed to another thought.
    [InlineData("h\r\r\nb```\nr")]
    [InlineData("Thought: a\r\r\r\nb\r\n```csharp\r\r\nx();\r\r\n```")]
    public void Canonical_text_parses_back_to_the_same_action(string reply)
    {
        var parsed = ActionParser.Parse(reply);
        Assert.True(parsed.Succeeded, parsed.Error);
        var again = ActionParser.Parse(parsed.ToCanonicalText());
        Assert.Equal(parsed.Thought, again.Thought);
        Assert.Equal(parsed.Code, again.Code);
        Assert.DoesNotContain('\r', parsed.Thought);
        ActionHarness.Parse(reply);
    }
}
