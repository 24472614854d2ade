using System.Text;
using AgentKit.Server.Tools;

namespace AgentKit.Server.Tests.Tools;

public sealed class ToolCallSplitterTests
{
    private static readonly HashSet<string> Names = ["get_weather", "add"];

    private const string TwoCalls =
        "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Oslo\"}}\n</tool_call>\n" +
        "<tool_call>\n{\"name\": \"add\", \"arguments\": \"{\\\"a\\\": 1}\"}\n</tool_call>\n";

    [Fact]
    public void SplitsContentFromCallsAndNormalisesArguments()
    {
        var (content, calls) = ToolCallSplitter.SplitAll(TwoCalls, Names);

        Assert.Equal("Let me check.", content);
        Assert.Equal(["get_weather", "add"], calls.Select(c => c.Name));
        Assert.Equal(["{\"city\":\"Oslo\"}", "{\"a\":1}"], calls.Select(c => c.Arguments)); // arguments sent as a string are unwrapped
        Assert.All(calls, c => Assert.Matches("^call_[0-9a-f]{24}$", c.Id));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void FedInPiecesItGivesTheSameAsWhole(int pieceLength)
    {
        var splitter = new ToolCallSplitter(Names);
        var content = new StringBuilder();
        var calls = new List<ToolCall>();
        for (var i = 0; i < TwoCalls.Length; i += pieceLength)
            Collect(splitter.Add(TwoCalls.Substring(i, Math.Min(pieceLength, TwoCalls.Length - i))));
        Collect(splitter.Flush());

        Assert.Equal("Let me check.", content.ToString());
        Assert.Equal(["{\"city\":\"Oslo\"}", "{\"a\":1}"], calls.Select(c => c.Arguments));

        void Collect(List<ToolCallPart> parts)
        {
            foreach (var part in parts)
            {
                if (part.Call is { } call)
                    calls.Add(call);
                else
                    content.Append(part.Content);
            }
        }
    }

    [Fact]
    public void ContentIsGivenAsSoonAsItCannotBeACallTag()
    {
        var splitter = new ToolCallSplitter(Names);

        Assert.Equal("a < b", Assert.Single(splitter.Add("a < b")).Content);
        Assert.Empty(splitter.Add(" <tool_")); // might be a call: held
        Assert.Equal(" <tool_box>", Assert.Single(splitter.Add("box>")).Content);
    }

    [Theory]
    [InlineData("<tool_call>{\"name\": \"delete_all\", \"arguments\": {}}</tool_call>")] // not an offered tool
    [InlineData("<tool_call>{\"name\": \"add\", \"arguments\": [1]}</tool_call>")]     // arguments not an object
    [InlineData("<tool_call>not json</tool_call>")]
    [InlineData("<tool_call>{\"name\": \"add\", \"arguments\": {\"a\": 1")]              // cut off
    public void WhatIsNotACallStaysContentWordForWord(string text)
    {
        var (content, calls) = ToolCallSplitter.SplitAll(text, Names);

        Assert.Empty(calls);
        Assert.Equal(text, content);
    }
}
