using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentKit.Distillation;

/// <summary>
/// Reads <c>distill.json</c>: snake_case keys, comments and trailing commas allowed, unknown keys rejected
/// (a misspelt key must not silently fall back to a default). Every problem is a <see cref="DistillConfigurationException"/>
/// that names the file and the key.
/// </summary>
public static class DistillRecipeLoader
{
    /// <summary>The recipe's usual file name inside an agent folder.</summary>
    public const string FileName = "distill.json";

    private static readonly JsonSerializerOptions s_options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Loads and validates the recipe at <paramref name="path"/> (a file, or a folder holding <c>distill.json</c>).</summary>
    public static LoadedRecipe Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            full = Path.Combine(full, FileName);
        if (!File.Exists(full))
            throw new DistillConfigurationException($"recipe not found: {path}");
        var recipe = Parse(File.ReadAllText(full), Path.GetFileName(full));
        var folder = Path.GetDirectoryName(full)!;
        var agentFolder = Path.GetFullPath(recipe.Agent ?? ".", folder);
        if (!Directory.Exists(agentFolder))
            throw new DistillConfigurationException($"{Path.GetFileName(full)}: agent folder not found: {agentFolder}");
        return new LoadedRecipe(recipe, full, agentFolder);
    }

    /// <summary>Parses and validates recipe text; <paramref name="sourceName"/> prefixes messages.</summary>
    public static DistillRecipe Parse(string json, string sourceName = FileName)
    {
        DistillRecipe? recipe;
        try
        {
            recipe = JsonSerializer.Deserialize<DistillRecipe>(json, s_options);
        }
        catch (JsonException ex)
        {
            throw new DistillConfigurationException($"{sourceName}: {Describe(ex)}", ex);
        }
        if (recipe is null)
            throw new DistillConfigurationException($"{sourceName}: expected a JSON object, got null.");
        try
        {
            return recipe.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new DistillConfigurationException($"{sourceName}: {ex.Message}", ex);
        }
    }

    // System.Text.Json names .NET types in its messages; say what the user wrote instead where we can.
    private static string Describe(JsonException ex)
    {
        var where = ex.Path is { Length: > 0 } p ? $" at {p}" : "";
        var line = ex.LineNumber is { } l ? $" (line {l + 1})" : "";
        if (ex.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            var key = ex.Message.Split('\'') is { Length: >= 3 } parts ? parts[1] : "?";
            return $"unknown key \"{key}\"{where}{line}.";
        }
        if (ex.Message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var keys = ex.Message[(ex.Message.IndexOf(':', StringComparison.Ordinal) + 1)..].Split('.')[0].Trim();
            return $"missing required key(s) {keys}{where}.";
        }
        return $"invalid JSON{where}{line}: {ex.Message}";
    }
}
