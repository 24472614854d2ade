namespace AgentKit.Atlas.Questions;

/// <summary>Which question set a draw is for; it decides the phrasing templates a family may use.</summary>
internal enum DraftMode
{
    /// <summary>The train split: training phrasings only.</summary>
    Train,

    /// <summary>The test split: training and held-out phrasings.</summary>
    Test,

    /// <summary>The rephrased (RL) set: rephrasing templates only.</summary>
    Rephrased,
}

/// <summary>The template rule of each <see cref="DraftMode"/>.</summary>
internal static class DraftModes
{
    /// <summary>Whether a draw for <paramref name="mode"/> may use <paramref name="template"/>.</summary>
    /// <remarks>
    /// Filtering keeps the order of the family's list, so adding rephrasings leaves the train and test lists (and with
    /// them every random draw of the normal question set) exactly as they were.
    /// </remarks>
    public static bool Allows(this DraftMode mode, PhrasingTemplate template) => mode switch
    {
        DraftMode.Train => template.Use == TemplateUse.Train,
        DraftMode.Test => template.Use is TemplateUse.Train or TemplateUse.HeldOut,
        _ => template.Use == TemplateUse.Rephrasing,
    };
}
