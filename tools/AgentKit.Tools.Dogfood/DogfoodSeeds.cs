using System.Text;
using System.Text.Json.Nodes;
using AgentKit.Abstractions.Execution;
using AgentKit.Abstractions.Models;
using AgentKit.Abstractions.Trajectories;
using AgentKit.Core.Actions;
using AgentKit.Core.Trajectories;
using AgentKit.Models.Gguf;
using AgentKit.Training.Tokenization;

namespace AgentKit.Tools.Dogfood;

/// <summary>
/// Small valid inputs for each parser, made by code with the project's own writers (GGUF writer, BPE trainer, trajectory
/// serializer, action grammar builder), so the campaigns start from the formats as AgentKit itself writes them.
/// </summary>
public static class DogfoodSeeds
{
    /// <summary>A GGUF model as <see cref="RandomLlamaModel"/> writes it, shrunk to the smallest legal shape (a few KiB).</summary>
    public static byte[] TinyLlamaGguf()
    {
        var options = new RandomLlamaOptions
        {
            Layers = 1, Embedding = 2, Heads = 1, KvHeads = 1, FeedForward = 2, ContextLength = 16, F16 = true, TieEmbeddings = true,
            ChatTemplate = null, Name = "dogfood",
        };
        using var stream = new MemoryStream();
        RandomLlamaModel.CreateWriter(options).WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>A hand-made GGUF with one value of each metadata kind (arrays nested too) and one small tensor.</summary>
    public static byte[] MinimalGguf()
    {
        var writer = new GgufWriter()
            .Add("general.architecture", GgufValue.String("llama"))
            .Add("general.alignment", GgufValue.UInt32(32))
            .Add("u8", GgufValue.UInt8(1)).Add("i8", GgufValue.Int8(-1)).Add("u16", GgufValue.UInt16(2)).Add("i16", GgufValue.Int16(-2))
            .Add("i32", GgufValue.Int32(-3)).Add("f32", GgufValue.Float32(0.5f)).Add("b", GgufValue.Bool(true))
            .Add("u64", GgufValue.UInt64(4)).Add("i64", GgufValue.Int64(-4)).Add("f64", GgufValue.Float64(0.25))
            .Add("strings", GgufValue.Array(new[] { "a", "bc" }))
            .Add("ints", GgufValue.Array(new[] { 1, 2, 3 }))
            .Add("bools", GgufValue.Array(new[] { true, false }))
            .Add("nested", GgufValue.Array(new[] { GgufValue.Array(new[] { 1u, 2u }), GgufValue.Array(new[] { 3u }) }))
            .AddTensor("t", [4], GgmlType.F32, new float[] { 1, 2, 3, 4 });
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }

    /// <summary>An <c>agent.json</c> that sets every key (with a comment and a trailing comma, which the loader allows).</summary>
    public static string FullAgentJson() => """
        {
          // every key the loader knows
          "name": "dogfood-agent",
          "instructions_file": "prompt.md",
          "prompt_style": "compact",
          "tools": ["Search", "Calculator"],
          "tool_settings": { "Search": { "index": "index", "corpus": "corpus.jsonl" } },
          "model": { "path": "model.gguf" },
          "sampling": { "candidates": 2, "temperature": 0.7, "top_p": 0.95, "seed": 1, "max_tokens_per_step": 384 },
          "max_steps": 5,
          "planning_interval": 2,
          "grammar": true,
          "observation_max_chars": 1500,
          "grammar_max_thought_chars": 300,
          "grammar_max_code_chars": 900,
          "task_variable": "task",
        }
        """;

    /// <summary>A small <c>agent.json</c> with inline instructions and a model endpoint.</summary>
    public static string EndpointAgentJson() =>
        """{"name":"e","instructions":"Be brief.","model":{"endpoint":"http://localhost:8080/v1","name":"m"}}""";

    /// <summary>Model replies: canonical, untagged and cut-off fences, a wrong language, no code.</summary>
    public static IReadOnlyList<string> Actions() =>
    [
        "Thought: add the numbers\n```csharp\nvar x = 2 + 3;\nFinalAnswer(x);\n```",
        "I will search.\r\n```cs\nvar hits = Search(\"Lyon river\");\nConsole.WriteLine(hits[0]);\n```\ntrailing text",
        "Thought: cut off\n```\nFinalAnswer(\"Rh",
        "Thought: wrong language\n```python\nprint(1)\n```",
        "The answer is 5.",
    ];

    /// <summary>Two trajectory lines as <see cref="JsonlTrajectoryWriter"/> writes them, and a truncated third.</summary>
    public static string TrajectoryJsonl()
    {
        var first = TrajectoryJson.Serialize(SampleTrajectory("run-1", RunOutcome.Answered));
        var second = TrajectoryJson.Serialize(SampleTrajectory("run-2", RunOutcome.StepLimit));
        return first + "\n" + second + "\n" + second[..(second.Length / 2)];
    }

    /// <summary>The action grammar the agent sends to llama.cpp, with and without a forced thought prefix.</summary>
    public static IReadOnlyList<string> Grammars() =>
    [
        ActionGrammar.Build(80, 200),
        ActionGrammar.Build(40, 100, "I will \"search\"\\first"),
        """
        # every construct: groups, alternatives, repetition, classes, escapes, comments
        root ::= (greeting | number)+ ws? "\x21" end
        greeting ::= "h\u00e9llo" [a-zA-Z_\]-]{1,3} ("," ws)*
        number ::= [0-9]{2,} ("." [0-9]+)? | "-"? [^\n\t"]
        ws ::= [ \t\r\n]*
        end ::= . | "\\" | "\U0001F600"
        """,
    ];

    /// <summary>A byte-level BPE <c>tokenizer.json</c> trained on a few sentences, as <c>agentkit train</c> saves it.</summary>
    public static byte[] TrainedTokenizer() => Encoding.UTF8.GetBytes(TrainedTokenizerNode().ToJsonString());

    /// <summary>The same tokenizer with a Hugging Face <c>Split</c> pre-tokenizer, which routes it to the HF loader.</summary>
    public static byte[] HfSplitTokenizer()
    {
        var root = TrainedTokenizerNode();
        root["pre_tokenizer"] = new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = @"\p{L}+|\p{N}|[^\s\p{L}\p{N}]+|\s+" }, ["behavior"] = "Isolated" },
                new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false }),
        };
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>A chat completion request using every field the server reads.</summary>
    public static string FullChatRequest() => """
        {"model":"agentkit","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"2+3?"}]},{"role":"assistant","content":null},{"role":"tool","content":"5"}],
         "n":2,"temperature":0.7,"top_p":0.9,"max_completion_tokens":16,"max_tokens":8,"seed":1,"stop":["\n","END"],"stream":false,
         "grammar":"root ::= \"a\"","tools":[],"user":"ignored"}
        """;

    /// <summary>The smallest accepted request.</summary>
    public static string MinimalChatRequest() => """{"messages":[{"role":"user","content":"hi"}],"stop":"x","stream":true}""";

    private static JsonObject TrainedTokenizerNode()
    {
        string[] corpus =
        [
            "Thought: add the numbers\n```csharp\nFinalAnswer(2 + 3);\n```",
            "The river that flows through Lyon is the Rhône; the Saône joins it there.",
            "Question: which season did the traders move, and why?",
        ];
        var tokenizer = BpeTrainer.Train(corpus, new BpeTrainerOptions { VocabSize = 256 + ChatFormat.SpecialTokens.Count + 24, MinFrequency = 2 });
        var path = Path.Combine(Path.GetTempPath(), "agentkit-dogfood-seed-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            tokenizer.Save(path);
            return (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static TrajectoryRecord SampleTrajectory(string runId, RunOutcome outcome)
    {
        IReadOnlyList<PromptMessage> prompt = [new(PromptRoles.System, "Be brief."), new(PromptRoles.User, "Task: 2+3?")];
        var action = new ActionStep
        {
            Step = 1,
            Prompt = prompt,
            Candidates =
            [
                new CandidateRecord { Index = 0, Text = "Thought: add\n```csharp\nFinalAnswer(2+3);\n```", Parsed = true, Thought = "add", Code = "FinalAnswer(2+3);", Status = ExecutionStatus.Ok, Output = "", FinalAnswer = "5", Votes = 1, Chosen = true },
                new CandidateRecord { Index = 1, Text = "it is 5", Parsed = false, ParseError = ActionParser.NoCodeBlockError },
            ],
            ChosenIndex = 0,
            Action = "Thought: add\n```csharp\nFinalAnswer(2+3);\n```",
            Observation = "Final answer: 5",
            IsError = false,
            FinalAnswer = "5",
            Usage = new ModelUsage(12.5, 10, 9),
            ExecutionMs = 3,
        };
        return new TrajectoryRecord
        {
            RunId = runId,
            StartedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            DurationMs = 20,
            Task = new TrajectoryTask("t1", "2+3?", "5"),
            Agent = new AgentSnapshot("calc", "Be brief.", ["Search"], 3, 1, 2000),
            Model = new ModelIdentity("scripted", "scripted"),
            Sampling = new SamplingSettings(2, 0.7f, 0.95f, 1, 64, true),
            Steps =
            [
                new TaskStep("2+3?"),
                new PlanningStep(1, prompt, "1. add", new ModelUsage(1, 2, 3)),
                action,
                new FinalAnswerStep("5", FinalAnswerSource.Code),
            ],
            FinalAnswer = "5",
            Outcome = outcome,
            Score = new TrajectoryScore(true, "numeric"),
            PromptTokens = 10,
            CompletionTokens = 9,
        };
    }
}
