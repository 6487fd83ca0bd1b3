using Society5Kpi.Domain;
using Society5Kpi.Indicators;

namespace Society5Kpi.Summaries;

/// <summary>
/// Counts by status for one area, or for the whole plan (Id "plan"). Reference figures are left out. Computed when
/// read from the same indicators the page or answer shows, so the counts never lag behind the table.
/// </summary>
/// <param name="DueThisQuarter">Codes of the indicators expecting a figure this fiscal quarter; depends on the day, so it is filled when read.</param>
public sealed record PlanSummary(string Id, Area? Area, int Indicators, IReadOnlyDictionary<Status, int> ByStatus,
    IReadOnlyDictionary<Status, string[]> CodesByStatus, string[]? DueThisQuarter = null)
{
    public const string WholePlan = "plan";

    public static string IdOf(Area area) => area.ToString().ToLowerInvariant();

    /// <summary>The summary of these indicators; a pure function, so re-running it is always safe.</summary>
    public static PlanSummary Of(string id, Area? area, IEnumerable<PublishedIndicator> indicators)
    {
        var counted = indicators.Where(i => i.PlanIndicator && (area is null || i.Area == area)).ToList();
        var groups = counted.GroupBy(i => i.Status ?? Status.NoDataYet).ToList();
        return new PlanSummary(id, area, counted.Count,
            groups.ToDictionary(g => g.Key, g => g.Count()),
            groups.ToDictionary(g => g.Key, g => g.Select(i => i.Id).Order().ToArray()));
    }

    public PlanSummary WithDue(IEnumerable<PublishedIndicator> indicators, DateOnly today) => this with
    {
        DueThisQuarter = indicators
            .Where(i => i.PlanIndicator && (Area is null || i.Area == Area) && i.TimelinessOn(today).DueThisQuarter)
            .Select(i => i.Id).Order().ToArray()
    };

    /// <summary>The whole plan's summary and each area's.</summary>
    public static IEnumerable<PlanSummary> AllOf(IReadOnlyList<PublishedIndicator> indicators) =>
        Enum.GetValues<Area>().Select(a => Of(IdOf(a), a, indicators)).Prepend(Of(WholePlan, null, indicators));
}
