using System.Globalization;
using System.Text;

namespace AgentKit.Retrieval.Corpus;

/// <summary>
/// A deterministic wiki-style corpus for measuring indexing and search at scale without downloading wiki-18: articles
/// with titles, each split into 1 to <see cref="SyntheticCorpusOptions.MaxPassagesPerArticle"/> passages of
/// <see cref="SyntheticCorpusOptions.WordsPerPassage"/> pseudo-words drawn from a Zipf law, ids <c>1, 2, …</c> as in
/// <c>psgs_w100.tsv</c>, and now and then a quoted phrase (so TSV quoting is exercised). Generated lazily: memory is
/// the vocabulary and a sampling table, whatever the passage count.
/// </summary>
public sealed class SyntheticCorpus
{
    private const int SamplingTableSize = 1 << 20;
    private static readonly string[] Syllables =
    [
        "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "ba", "de", "fu", "ga", "hi", "jo", "ku", "la", "mo", "nu", "pe",
        "ri", "so", "tu", "va", "we", "xo", "yu", "za", "bri", "cla", "dro", "fle", "gra", "pla", "sto", "tra", "an", "el", "or", "is",
    ];

    private readonly SyntheticCorpusOptions _options;
    private readonly string[] _words;
    private readonly int[] _zipfTable;

    /// <summary>Builds the vocabulary and sampling table for <paramref name="options"/> (validated here).</summary>
    public SyntheticCorpus(SyntheticCorpusOptions? options = null)
    {
        _options = (options ?? new SyntheticCorpusOptions()).Validate();
        _words = BuildVocabulary(_options.VocabularySize, new SplitMix64((ulong)_options.Seed));
        _zipfTable = BuildZipfTable(_options.VocabularySize, _options.ZipfExponent);
    }

    /// <summary>The options the corpus was made with.</summary>
    public SyntheticCorpusOptions Options => _options;

    /// <summary>The passages, in id order; every enumeration yields the same sequence.</summary>
    public IEnumerable<CorpusDocument> Documents()
    {
        var random = new SplitMix64((ulong)_options.Seed * 0x9E3779B97F4A7C15UL + 1);
        var text = new StringBuilder();
        long id = 1;
        while (id <= _options.Passages)
        {
            var title = Title(random);
            var passages = 1 + random.Next(_options.MaxPassagesPerArticle);
            for (var p = 0; p < passages && id <= _options.Passages; p++, id++)
            {
                Text(random, title, p == 0, text);
                yield return new CorpusDocument(id.ToString(CultureInfo.InvariantCulture), title, text.ToString());
            }
        }
    }

    /// <summary>
    /// <paramref name="count"/> keyword queries in the style of the corpus: one or two title-like words and two to four
    /// words drawn from the Zipf law, deterministic for the seed.
    /// </summary>
    public IReadOnlyList<string> Queries(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new SplitMix64((ulong)_options.Seed * 31 + 7);
        var queries = new string[count];
        for (var i = 0; i < count; i++)
        {
            var words = new List<string>();
            var titleWords = 1 + random.Next(2);
            for (var w = 0; w < titleWords; w++)
                words.Add(TitleWord(random));
            var common = 2 + random.Next(3);
            for (var w = 0; w < common; w++)
                words.Add(_words[_zipfTable[random.Next(SamplingTableSize)]]);
            queries[i] = string.Join(' ', words);
        }
        return queries;
    }

    private string Title(SplitMix64 random)
    {
        var words = 1 + random.Next(3);
        var title = new StringBuilder();
        for (var w = 0; w < words; w++)
        {
            if (w > 0)
                title.Append(' ');
            var word = TitleWord(random);
            title.Append(char.ToUpperInvariant(word[0])).Append(word, 1, word.Length - 1);
        }
        return title.ToString();
    }

    /// <summary>Titles name specific things: words outside the most frequent hundred, drawn uniformly.</summary>
    private string TitleWord(SplitMix64 random) => _words[100 + random.Next(_words.Length - 100)];

    private void Text(SplitMix64 random, string title, bool opensArticle, StringBuilder text)
    {
        text.Clear();
        var sentenceLength = 0;
        var inQuote = false;
        for (var w = 0; w < _options.WordsPerPassage; w++)
        {
            if (w > 0)
                text.Append(' ');
            if (!inQuote && random.Next(200) == 0)
            {
                text.Append('"');
                inQuote = true;
            }
            var word = opensArticle && w == 0 ? title : _words[_zipfTable[random.Next(SamplingTableSize)]];
            text.Append(sentenceLength == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word);
            if (inQuote && random.Next(4) == 0)
            {
                text.Append('"');
                inQuote = false;
            }
            if (++sentenceLength >= 8 && random.Next(6) == 0)
            {
                if (inQuote)
                {
                    text.Append('"');
                    inQuote = false;
                }
                text.Append('.');
                sentenceLength = 0;
            }
        }
        if (inQuote)
            text.Append('"');
        text.Append('.');
    }

    private static string[] BuildVocabulary(int size, SplitMix64 random)
    {
        var words = new string[size];
        var seen = new HashSet<string>(size, StringComparer.Ordinal);
        var word = new StringBuilder();
        for (var i = 0; i < size;)
        {
            // Frequent words are short, as in natural language: the syllable count grows with the rank.
            var syllables = 1 + random.Next(2) + (i > 500 ? 1 : 0) + (i > 20_000 ? 1 : 0) + (i > 500_000 ? 1 : 0);
            word.Clear();
            for (var s = 0; s < syllables; s++)
                word.Append(Syllables[random.Next(Syllables.Length)]);
            if (seen.Add(word.ToString()))
                words[i++] = word.ToString();
        }
        return words;
    }

    /// <summary>Inverse CDF of the Zipf law quantised to <see cref="SamplingTableSize"/> slots: O(1) sampling.</summary>
    private static int[] BuildZipfTable(int size, double exponent)
    {
        var weights = new double[size];
        double total = 0;
        for (var r = 0; r < size; r++)
            total += weights[r] = 1 / Math.Pow(r + 1, exponent);
        var table = new int[SamplingTableSize];
        double cumulative = 0;
        var rank = 0;
        for (var slot = 0; slot < SamplingTableSize; slot++)
        {
            var target = (slot + 0.5) / SamplingTableSize * total;
            while (rank < size - 1 && cumulative + weights[rank] < target)
                cumulative += weights[rank++];
            table[slot] = rank;
        }
        return table;
    }

    /// <summary>Small, fast, fully specified generator (SplitMix64), so corpora do not depend on System.Random's algorithm.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public int Next(int maxExclusive)
        {
            _state += 0x9E3779B97F4A7C15UL;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)((z >> 33) % (ulong)maxExclusive);
        }
    }
}
