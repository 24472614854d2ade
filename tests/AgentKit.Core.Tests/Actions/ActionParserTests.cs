using AgentKit.Core.Actions;

namespace AgentKit.Core.Tests.Actions;

public class ActionParserTests
{
    [Fact]
    public void Parses_canonical_action()
    {
        var parsed = ActionParser.Parse("Thought: add them\n```csharp\nConsole.WriteLine(1 + 2);\n```");
        Assert.True(parsed.Succeeded);
        Assert.Equal("add them", parsed.Thought);
        Assert.Equal("Console.WriteLine(1 + 2);", parsed.Code);
        Assert.Equal("Thought: add them\n```csharp\nConsole.WriteLine(1 + 2);\n```", parsed.ToCanonicalText());
    }

    [Theory]
    [InlineData("```cs")]
    [InlineData("```c#")]
    [InlineData("```C#")]
    [InlineData("```")]
    [InlineData("``` csharp ")]
    public void Accepts_other_csharp_fence_tags(string fence)
    {
        var parsed = ActionParser.Parse($"Thought: x\n{fence}\nvar a = 1;\n```");
        Assert.True(parsed.Succeeded, parsed.Error);
        Assert.Equal("var a = 1;", parsed.Code);
    }

    [Fact]
    public void Ignores_text_after_the_closing_fence_and_later_blocks()
    {
        var parsed = ActionParser.Parse("Thought: t\n```csharp\nvar a = 1;\n```\nObservation: 1\n```csharp\nvar b = 2;\n```");
        Assert.Equal("var a = 1;", parsed.Code);
    }

    [Fact]
    public void Missing_thought_label_keeps_the_text_as_thought()
    {
        var parsed = ActionParser.Parse("I will print.\r\n```csharp\r\nConsole.WriteLine(3);\r\n```");
        Assert.True(parsed.Succeeded);
        Assert.Equal("I will print.", parsed.Thought);
        Assert.Equal("Console.WriteLine(3);", parsed.Code);
    }

    [Fact]
    public void Unclosed_fence_runs_to_the_end()
    {
        var parsed = ActionParser.Parse("Thought: cut off\n```csharp\nvar x = 1;\nConsole.WriteLine(x);");
        Assert.Equal("var x = 1;\nConsole.WriteLine(x);", parsed.Code);
    }

    [Theory]
    [InlineData("Thought: I know it is 4.", ActionParser.NoCodeBlockError)]
    [InlineData("", "empty")]
    [InlineData("Thought: x\n```csharp\n\n```", "code block is empty")]
    [InlineData("Thought: x\n```python\nprint(1)\n```", "tagged 'python'")]
    [InlineData("Thought: x ```", "code block is empty")]
    public void Failures_become_messages_for_the_model(string text, string expected)
    {
        var parsed = ActionParser.Parse(text);
        Assert.False(parsed.Succeeded);
        Assert.Null(parsed.Code);
        Assert.Contains(expected, parsed.Error);
        Assert.StartsWith("Error:", parsed.Error);
    }
}
