namespace Society5Kpi.Domain;

/// <summary>The plan's five areas (chapter 4).</summary>
public enum Area { Living, Industry, Administration, Data, Infrastructure }

/// <summary>Which way is better: more, less, or staying at or above a floor ("150%以上を維持").</summary>
public enum Direction { Increase, Decrease, Floor, None }

/// <summary>
/// Level: a value at a point in time. Cumulative: a total over the target's span of years
/// (e.g. company locations over R2-R6). Qualitative: a promotion goal (推進目標) tracked by milestones and cases.
/// </summary>
public enum Measure { Level, Cumulative, Qualitative }

public enum ReportingFrequency { Annual, Quarterly, Monthly, Irregular }

/// <summary>The municipality fact a count-of-municipalities indicator counts (it is computed, never typed in).</summary>
public enum MunicipalityCount { OpenDataStarted, DataLinkagePlatformBuilt, DataLinkagePlatformBuiltOrPlanned }

/// <summary>Where an indicator's figure for Hokkaido as a whole comes from, when it is also recorded per municipality.</summary>
public enum PrefectureFigure
{
    /// <summary>Recorded from a source that publishes it; the municipalities' figures are its breakdown, checked against it.</summary>
    Recorded,
    /// <summary>Computed from the municipalities' figures: Σnumerator / Σdenominator for a rate, never an average of rates.</summary>
    Derived
}

/// <summary>
/// The indicator is also recorded per municipality. For a rate, its two parts are named (cards issued / population),
/// so that figures can carry them and a prefecture rate can be derived from them.
/// </summary>
public sealed record MunicipalBreakdown(
    PrefectureFigure PrefectureFigure, string? NumeratorJa = null, string? NumeratorEn = null,
    string? DenominatorJa = null, string? DenominatorEn = null)
{
    public bool IsRate => NumeratorEn is not null && DenominatorEn is not null;
}

/// <summary>The unit a figure is written in, and what values it can take.</summary>
public static class MeasureUnit
{
    // Units that count things: a figure in them is a whole number.
    private static readonly HashSet<string> CountUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        "municipalities", "companies", "cases", "datasets", "prefectures", "round tables", "people",
        "persons", "projects", "services", "facilities", "organisations", "organizations", "items", "times",
        "schools", "businesses", "locations", "events", "systems", "procedures", "bases", "units"
    };

    /// <summary>
    /// The most a figure in this unit can reach: all 179 municipalities of Hokkaido, or 100% when the target
    /// itself is a share of a whole (a penetration rate can exceed 100%, so only then).
    /// </summary>
    public static decimal? Ceiling(string? unit, decimal? target) => unit?.Trim() switch
    {
        "municipalities" => HokkaidoMunicipalities,
        "%" when target is <= 100m => 100m,
        _ => null
    };

    public const int HokkaidoMunicipalities = 179;

    public static bool IsCount(string? unit) => unit is not null && CountUnits.Contains(unit.Trim());

    /// <summary>Why a value cannot be a figure in this unit, or null when it can.</summary>
    public static string? ProblemWith(decimal value, string? unit)
    {
        if (value < 0) return "must not be negative";
        if (IsCount(unit) && decimal.Truncate(value) != value) return $"must be a whole number of {unit}";
        return null;
    }
}
