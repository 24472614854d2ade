namespace AgentKit.Atlas.Data;

/// <summary>
/// Names some attribute files use for a country that <c>country-by-name.json</c> spells differently.
/// Any other unknown name (Taiwan, Kosovo, regions in the religion file, typos such as "Belgiu") is dropped.
/// </summary>
internal static class CountryNameAliases
{
    private static readonly Dictionary<string, string> s_aliases = new(StringComparer.Ordinal)
    {
        ["Vetican City"] = "Holy See (Vatican City State)",
        ["Cabo Verde"] = "Cape Verde",
        ["Hashemite Kingdom of Jordan"] = "Jordan",
        ["Myanmar [Burma]"] = "Myanmar",
        ["Republic of Korea"] = "South Korea",
        ["Republic of Lithuania"] = "Lithuania",
        ["Republic of Moldova"] = "Moldova",
        ["U.S. Virgin Islands"] = "Virgin Islands, U.S.",
        ["British Virgin Islands"] = "Virgin Islands, British",
        ["Macedonia"] = "North Macedonia",
        ["Congo, The Democratic Republic of the"] = "The Democratic Republic of Congo",
        ["The Democratic Republic of the Congo"] = "The Democratic Republic of Congo",
        ["Federated States of Micronesia"] = "Micronesia, Federated States of",
        ["Macau"] = "Macao",
        ["Pitcairn Islands"] = "Pitcairn",
    };

    /// <summary>The canonical name for <paramref name="sourceName"/>, or the name itself.</summary>
    public static string Canonical(string sourceName) => s_aliases.GetValueOrDefault(sourceName, sourceName);
}
