namespace AgentKit.Training.Tokenization;

/// <summary>Text to token ids and back, with the special tokens of the chat format.</summary>
public interface ITextTokenizer
{
    /// <summary>Number of token ids (the model's vocabulary must be at least this large).</summary>
    int VocabSize { get; }

    /// <summary>Id of the end-of-text token generation stops on, when the tokenizer has one.</summary>
    int? EosId { get; }

    /// <summary>Encodes text; special-token strings in it become their single ids.</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>Decodes ids to text (special tokens appear as their strings).</summary>
    string Decode(IEnumerable<int> ids);

    /// <summary>UTF-8 bytes token <paramref name="id"/> stands for (a special token: its text's bytes).</summary>
    int TokenByteLength(int id);

    /// <summary>Id of a special token such as <c>&lt;|im_end|&gt;</c>, or null when absent.</summary>
    int? SpecialTokenId(string token);
}
