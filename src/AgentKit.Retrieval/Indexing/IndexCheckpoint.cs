using System.Globalization;
using AgentKit.Retrieval.Corpus;

namespace AgentKit.Retrieval.Indexing;

/// <summary>
/// What an AgentKit index commit records about its build, in Lucene's commit user data: whether the build is complete,
/// how many passages the commit holds and, for a file, where in which corpus to continue.
/// </summary>
internal sealed record IndexCheckpoint(bool Complete, long Passages, CorpusPosition Position, CorpusFingerprint? Fingerprint, string Corpus)
{
    private const string StateKey = "agentkit.state";
    private const string PassagesKey = "agentkit.passages";
    private const string OffsetKey = "agentkit.corpus.offset";
    private const string LineKey = "agentkit.corpus.line";
    private const string SizeKey = "agentkit.corpus.size";
    private const string HeadKey = "agentkit.corpus.head_sha256";
    private const string CorpusKey = "agentkit.corpus.name";

    public IDictionary<string, string> ToUserData()
    {
        var data = new Dictionary<string, string>
        {
            [StateKey] = Complete ? "complete" : "building",
            [PassagesKey] = Passages.ToString(CultureInfo.InvariantCulture),
            [OffsetKey] = Position.ByteOffset.ToString(CultureInfo.InvariantCulture),
            [LineKey] = Position.LineNumber.ToString(CultureInfo.InvariantCulture),
            [CorpusKey] = Corpus,
        };
        if (Fingerprint is not null)
        {
            data[SizeKey] = Fingerprint.SizeBytes.ToString(CultureInfo.InvariantCulture);
            data[HeadKey] = Fingerprint.HeadSha256;
        }
        return data;
    }

    /// <summary>The checkpoint in <paramref name="data"/>, or null for a commit AgentKit did not describe (an older index).</summary>
    public static IndexCheckpoint? FromUserData(IDictionary<string, string>? data)
    {
        if (data is null || !data.TryGetValue(StateKey, out var state))
            return null;
        long Number(string key) => data.TryGetValue(key, out var text) && long.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : 0;
        var fingerprint = data.TryGetValue(HeadKey, out var head) ? new CorpusFingerprint(Number(SizeKey), head) : null;
        return new IndexCheckpoint(state == "complete", Number(PassagesKey), new CorpusPosition(Number(OffsetKey), Number(LineKey)), fingerprint,
            data.TryGetValue(CorpusKey, out var corpus) ? corpus : "");
    }
}
