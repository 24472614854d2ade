using AgentKit.Core.Actions;

namespace AgentKit.Core.Tests.Actions;

public class ActionGrammarTests
{
    [Fact]
    public void Grammar_starts_with_the_thought_label_and_bounds_lengths()
    {
        var gbnf = ActionGrammar.Build(40, 120);
        Assert.Contains("root ::= \"Thought: \" thoughtchar{1,40} fence-open code fence-close", gbnf);
        Assert.Contains("code ::= [^`\\n] [^`]{0,119}", gbnf);
        Assert.Contains("fence-open ::= \"\\n```csharp\\n\"", gbnf);
    }

    [Fact]
    public void A_forced_prefix_becomes_an_escaped_literal_after_the_label()
    {
        var gbnf = ActionGrammar.Build(40, 120, "The \"tower\" is C:\\x");
        Assert.StartsWith("root ::= \"Thought: \" \"The \\\"tower\\\" is C:\\\\x\" thoughtchar{0,40} fence-open", gbnf);
    }

    [Fact]
    public void Rejects_non_positive_bounds() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ActionGrammar.Build(0, 10));
}
