using Lucene.Net.Index;

namespace AgentKit.Retrieval.Indexing;

/// <summary>
/// Finds a repeated passage id by walking the id terms of the index in order: memory stays constant where a set of
/// every id read would grow to gigabytes at wiki scale.
/// </summary>
internal static class IdCheck
{
    /// <summary>An id held by more than one document, or null when every id is unique.</summary>
    public static string? FindDuplicate(IndexWriter writer)
    {
        using var reader = DirectoryReader.Open(writer, applyAllDeletes: true);
        var terms = MultiFields.GetTerms(reader, IndexFields.Id);
        if (terms is null)
            return null;
        var termsEnum = terms.GetEnumerator();
        while (termsEnum.MoveNext())
        {
            if (termsEnum.DocFreq > 1)
                return termsEnum.Term.Utf8ToString();
        }
        return null;
    }
}
