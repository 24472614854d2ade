using System.Text.Json;
using AgentKit.Retrieval.Corpus;

namespace AgentKit.Retrieval.Tests.Support;

/// <summary>A dozen short passages on distinct topics, small enough to reason about rankings by hand.</summary>
public static class SampleCorpus
{
    public static readonly CorpusDocument[] Documents =
    [
        new("lima", "Lima", "Lima is the capital and largest city of Peru, on the Pacific coast."),
        new("cusco", "Cusco", "Cusco was the historic capital of the Inca Empire, high in the Andes."),
        new("paris", "Paris", "Paris is the capital of France and sits on the river Seine."),
        new("seine", "Seine", "The Seine is a river in northern France that flows into the English Channel."),
        new("python", "Python (programming language)", "Python is a high-level programming language with dynamic typing."),
        new("csharp", "C Sharp", "C# is a statically typed programming language developed by Microsoft for .NET."),
        new("lucene", "Apache Lucene", "Lucene is a search library; it scores documents with BM25 by default."),
        new("everest", "Mount Everest", "Mount Everest is the highest mountain above sea level, in the Himalayas."),
        new("nile", "Nile", "The Nile is a major river in Africa flowing north into the Mediterranean Sea."),
        new("falcon", "Falcon", "A fast bird of prey with long pointed wings."),
        new("birds", "Fast birds", "The falcon is a fast bird of prey."),
        new("ops", "Boolean operators", "Search engines combine words with AND, OR and NOT; the colon and wildcard are syntax too."),
    ];

    public static string ToJsonl(IEnumerable<CorpusDocument> documents) =>
        string.Join('\n', documents.Select(d => JsonSerializer.Serialize(new { id = d.Id, title = d.Title, text = d.Text }))) + "\n";

    public static string WriteTo(TempDirectory dir, string name = "corpus.jsonl")
    {
        var path = dir.Combine(name);
        File.WriteAllText(path, ToJsonl(Documents));
        return path;
    }
}
