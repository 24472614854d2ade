using System.Text.Json.Nodes;

namespace AgentKit.Training.Tokenization;

/// <summary>
/// Reads the chat template a Hugging Face checkpoint ships: <c>chat_template.jinja</c> (newer transformers) or the
/// <c>chat_template</c> of <c>tokenizer_config.json</c> (a string, or a list of named templates of which
/// <c>default</c> is taken). Exports carry it into the GGUF's <c>tokenizer.chat_template</c>.
/// </summary>
public static class ChatTemplateFile
{
    /// <summary>The HF tokenizer settings file (special tokens, chat template).</summary>
    public const string TokenizerConfig = "tokenizer_config.json";

    /// <summary>The stand-alone template file newer transformers versions write.</summary>
    public const string Jinja = "chat_template.jinja";

    /// <summary>The files beside <c>tokenizer.json</c> that belong to the tokenizer and travel with it.</summary>
    public static IReadOnlyList<string> CompanionFiles { get; } = [TokenizerConfig, Jinja];

    /// <summary>The template of the checkpoint in <paramref name="directory"/>, or null when it ships none.</summary>
    /// <exception cref="InvalidDataException"><c>tokenizer_config.json</c> is not JSON or its template is neither a string nor a list of named templates.</exception>
    public static string? Read(string directory)
    {
        var jinja = Path.Combine(directory, Jinja);
        if (File.Exists(jinja))
            return File.ReadAllText(jinja);
        var config = Path.Combine(directory, TokenizerConfig);
        if (!File.Exists(config))
            return null;
        JsonNode? template;
        try
        {
            template = JsonNode.Parse(File.ReadAllText(config))?["chat_template"];
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InvalidDataException($"'{config}' is not JSON: {ex.Message}", ex);
        }
        return template switch
        {
            null => null,
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonArray named => named.OfType<JsonObject>().Where(t => (string?)t["name"] == "default").Select(t => (string?)t["template"]).FirstOrDefault()
                               ?? throw new InvalidDataException($"'{config}' lists named chat templates but none called 'default'."),
            _ => throw new InvalidDataException($"'{config}': chat_template must be a string or a list of {{name, template}}."),
        };
    }

    /// <summary>Copies the <see cref="CompanionFiles"/> present in <paramref name="sourceDirectory"/> into <paramref name="targetDirectory"/>.</summary>
    public static void CopyCompanions(string sourceDirectory, string targetDirectory)
    {
        foreach (var name in CompanionFiles)
        {
            var source = Path.Combine(sourceDirectory, name);
            if (File.Exists(source))
                File.Copy(source, Path.Combine(targetDirectory, name), overwrite: true);
        }
    }
}
