using AgentKit.Core.Scoring.Benchmarks;

namespace AgentKit.Core.Tests.Scoring.Benchmarks;

/// <summary>Hand-made files in the paper's JSON shape (no dataset rows).</summary>
public sealed class BenchmarkFileTests
{
    private const string Math = """
        {"metadata":{"dataset_info":{"name":"MATH","fold":"test","total_examples":3}},
         "examples":[
          {"id":1,"question":"What is half of one?","answer":"\\frac{1}{2}","level":"Level 1","type":"Algebra","dataset_name":"GSM-hard","split":"test"},
          {"id":2,"question":"Twice 21?","answer":42.0,"dataset_name":"GSM-hard","split":"test"},
          {"id":3,"question":"No gold here","answer":null,"dataset_name":"GSM-hard","split":"test"}
         ]}
        """;

    [Fact]
    public void Reads_questions_gold_answers_name_and_kind()
    {
        var set = BenchmarkFile.Parse(Math, "gsm.json");

        Assert.Equal("GSM-hard", set.Name); // the examples' dataset_name wins over the metadata's "MATH"
        Assert.Equal("MATH", set.DatasetInfoName);
        Assert.Equal(BenchmarkKind.Math, set.Kind);
        Assert.Equal("test", set.Split);
        Assert.Equal(["1", "2"], set.Tasks.Select(t => t.Id));
        Assert.Equal([@"\frac{1}{2}", "42.0"], set.Tasks.Select(t => t.ReferenceAnswer));
        var skipped = Assert.Single(set.Skipped);
        Assert.Equal(3, skipped.Line);
        Assert.Contains("answer", skipped.Reason);
    }

    [Fact]
    public void Qa_sets_take_the_name_without_its_owner_and_string_ids()
    {
        const string qa = """
            {"metadata":{"dataset_info":{"name":"hotpotqa"}},
             "examples":[{"id":"5a8b57f2","question":"Which river flows through Lyon?","answer":"Rhône","dataset_name":"hotpotqa/hotpot_qa","split":"test"}]}
            """;
        var set = BenchmarkFile.Parse(qa, "hq.json");
        Assert.Equal("hotpot_qa", set.Name);
        Assert.Equal(BenchmarkKind.Qa, set.Kind);
        Assert.Equal("5a8b57f2", Assert.Single(set.Tasks).Id);
    }

    [Fact]
    public void Without_names_the_metadata_then_the_file_name_decide_unless_the_kind_is_given()
    {
        const string bare = """{"examples":[{"id":1,"question":"q?","answer":"a"}]}""";
        Assert.Equal(BenchmarkKind.Math, BenchmarkFile.Parse(bare, "aime_small.json").Kind);
        Assert.Equal("aime_small", BenchmarkFile.Parse(bare, "aime_small.json").Name);
        var error = Assert.Throws<InvalidDataException>(() => BenchmarkFile.Parse(bare, "riddles.json"));
        Assert.Contains("qa or math", error.Message);
        Assert.Equal(BenchmarkKind.Qa, BenchmarkFile.Parse(bare, "riddles.json", BenchmarkKind.Qa).Kind);
        Assert.Equal(BenchmarkKind.Qa, BenchmarkFile.Parse(Math, "gsm.json", BenchmarkKind.Qa).Kind); // the override wins
    }

    [Theory]
    [InlineData("not json", "invalid JSON")]
    [InlineData("""[{"question":"q","answer":"a"}]""", "not a benchmark file")]
    [InlineData("""{"metadata":{}}""", "not a benchmark file")]
    [InlineData("""{"examples":{"question":"q"}}""", "\"examples\" must be an array")]
    [InlineData("""{"examples":[]}""", "\"examples\" is empty")]
    [InlineData("""{"metadata":[],"examples":[{"question":"q","answer":"a"}]}""", "\"metadata\" must be an object")]
    [InlineData("""{"metadata":{"dataset_info":{"name":3}},"examples":[{"question":"q","answer":"a"}]}""", "dataset_info.name\" must be a string")]
    [InlineData("""{"metadata":{"dataset_info":{"name":"MATH"}},"examples":[{"question":"q"}]}""", "no example has both a question and an answer")]
    [InlineData("""{"metadata":{"dataset_info":{"name":"MATH"}},"examples":[{"answer":"1"}]}""", "no usable task")]
    public void Malformed_files_are_refused_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => BenchmarkFile.Parse(text, "bad.json"));
        Assert.Contains(reason, error.Message);
        Assert.StartsWith("bad.json", error.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"agentkit-missing-{Guid.NewGuid():N}.json");
        Assert.Contains(path, Assert.Throws<FileNotFoundException>(() => BenchmarkFile.Read(path)).Message);
    }

    [Fact]
    public void Read_takes_the_file_name_as_the_source()
    {
        var path = Path.Combine(Path.GetTempPath(), $"agentkit-bench-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Math);
        try
        {
            Assert.Equal(Path.GetFileName(path), BenchmarkFile.Read(path).SourceName);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
