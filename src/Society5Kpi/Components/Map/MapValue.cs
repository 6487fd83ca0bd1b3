namespace Society5Kpi.Components.Map;

/// <summary>
/// One municipality's figure on the map. Label is the hover text after the name, e.g. "55.7 % (2022-12-31)";
/// Note is added in brackets. Colour, when set, replaces the sequential colour (for categories).
/// </summary>
public sealed record MapValue(decimal? Value, string Label, string? Note, string? Colour = null);

/// <summary>A legend entry for a map coloured by category.</summary>
public sealed record MapCategory(string Colour, string Label);
