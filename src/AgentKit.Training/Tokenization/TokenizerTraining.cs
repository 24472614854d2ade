using System.Diagnostics;
using AgentKit.Training.Sft;

namespace AgentKit.Training.Tokenization;

/// <summary>What <see cref="TokenizerTraining.Train"/> wrote (<c>agentkit train tokenizer --json</c> prints it).</summary>
/// <param name="Output">The tokenizer.json written.</param>
/// <param name="VocabSize">Tokens in the vocabulary.</param>
/// <param name="Merges">BPE merges learnt.</param>
/// <param name="SpecialTokens">Special tokens.</param>
/// <param name="InputCharacters">Characters trained on.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record TokenizerReport(string Output, int VocabSize, int Merges, IReadOnlyList<string> SpecialTokens, long InputCharacters, double Seconds);

/// <summary>
/// Trains a byte-level BPE tokenizer on files and saves it (<c>agentkit train tokenizer</c>): a text file is one document,
/// a messages JSONL file contributes each conversation rendered in ChatML, exactly as the trainer will see it.
/// </summary>
public static class TokenizerTraining
{
    /// <summary>Trains on <paramref name="inputs"/> with <paramref name="options"/> and saves to <paramref name="output"/>.</summary>
    /// <exception cref="FileNotFoundException">An input file does not exist.</exception>
    public static TokenizerReport Train(IReadOnlyList<string> inputs, BpeTrainerOptions options, string output)
    {
        options.Validate();
        foreach (var file in inputs)
        {
            if (!File.Exists(file))
                throw new FileNotFoundException($"input file not found: {file}", file);
        }
        var texts = inputs.SelectMany(ReadDocuments).ToList();
        var started = Stopwatch.GetTimestamp();
        var tokenizer = BpeTrainer.Train(texts, options);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        tokenizer.Save(output);
        return new TokenizerReport(output, tokenizer.VocabSize, tokenizer.Merges.Count, [.. tokenizer.SpecialTokens.Keys], texts.Sum(t => (long)t.Length),
            Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 2));
    }

    private static IEnumerable<string> ReadDocuments(string file)
    {
        if (!file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            return [File.ReadAllText(file)];
        return SftDataReader.Read(file).Select(e => ChatFormat.Render(e.Messages.Select(m => (m.Role, m.Content)), addGenerationPrompt: false));
    }
}
