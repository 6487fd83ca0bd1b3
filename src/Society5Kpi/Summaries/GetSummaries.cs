using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.AsOf;
using Society5Kpi.Indicators.Listing;
using Wolverine.Http;

namespace Society5Kpi.Summaries;

public static class GetSummariesEndpoint
{
    /// <summary>The whole plan's and each area's counts by status; with ?asOf=, as known at the end of that day.</summary>
    [WolverineGet("/api/summaries")]
    public static async Task<IReadOnlyList<PlanSummary>> Get(string? asOf, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var day = AsOfDate.Parse(asOf);
        var indicators = await PublicPlan.IndicatorsAsync(session, day, ct);
        return PlanSummary.AllOf(indicators).Select(s => s.WithDue(indicators, day ?? JapanTime.Today(clock.GetUtcNow()))).ToList();
    }
}
