using JasperFx.Events;
using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.Defining;
using Society5Kpi.Indicators.Reviewing;
using Society5Kpi.Measurements.Correcting;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Measurements.Reviewing;
using Wolverine;

namespace Society5Kpi.Summaries;

/// <summary>Counts by status for one area, or for the whole plan (Id "plan"). Reference figures are left out.</summary>
/// <param name="DueThisQuarter">Codes of the indicators expecting a figure this fiscal quarter; depends on the day, so it is filled when read.</param>
public sealed record PlanSummary(string Id, Area? Area, int Indicators, IReadOnlyDictionary<Status, int> ByStatus,
    IReadOnlyDictionary<Status, string[]> CodesByStatus, string[]? DueThisQuarter = null)
{
    public const string WholePlan = "plan";

    public static string IdOf(Area area) => area.ToString().ToLowerInvariant();

    /// <summary>The summary of these indicators; a pure function, so re-running it is always safe.</summary>
    public static PlanSummary Of(string id, Area? area, IEnumerable<IndicatorProgress> indicators)
    {
        var counted = indicators.Where(i => i.PlanIndicator && (area is null || i.Area == area)).ToList();
        var groups = counted.GroupBy(i => i.Status ?? Status.NoDataYet).ToList();
        return new PlanSummary(id, area, counted.Count,
            groups.ToDictionary(g => g.Key, g => g.Count()),
            groups.ToDictionary(g => g.Key, g => g.Select(i => i.Id).Order().ToArray()));
    }

    public PlanSummary WithDue(IEnumerable<IndicatorProgress> indicators, DateOnly today) => this with
    {
        DueThisQuarter = indicators
            .Where(i => i.PlanIndicator && (Area is null || i.Area == Area) && i.TimelinessOn(today).DueThisQuarter)
            .Select(i => i.Id).Order().ToArray()
    };

    /// <summary>The whole plan's summary and each area's.</summary>
    public static IEnumerable<PlanSummary> AllOf(IReadOnlyList<IndicatorProgress> indicators) =>
        Enum.GetValues<Area>().Select(a => Of(IdOf(a), a, indicators)).Prepend(Of(WholePlan, null, indicators));
}

/// <summary>
/// Keeps the summaries in step with the indicators: Marten forwards each committed indicator event to
/// Wolverine, and this handler recomputes the plan's and the indicator's area summary from the current
/// indicators. It recomputes rather than counts up, so it is safe to re-run and order does not matter.
/// </summary>
public static class PlanSummaryHandler
{
    public const string Queue = "plan-summaries";

    /// <summary>One recount at a time, so a recount that read older data never overwrites a newer one.</summary>
    public static void RouteOneAtATime(WolverineOptions opts) => opts.Publish(p =>
    {
        p.Message<IEvent<IndicatorDefined>>();
        p.Message<IEvent<IndicatorDescriptionRevised>>();
        p.Message<IEvent<BaselineSet>>();
        p.Message<IEvent<TargetSet>>();
        p.Message<IEvent<TargetRevised>>();
        p.Message<IEvent<MeasurementRecorded>>();
        p.Message<IEvent<MeasurementCorrected>>();
        p.Message<IEvent<MeasurementRetracted>>();
        p.Message<IEvent<MeasurementApproved>>();
        p.Message<IEvent<StatusOverridden>>();
        p.Message<IEvent<StatusOverrideCleared>>();
        p.ToLocalQueue(Queue).Sequential();
    });

    public static Task Handle(IEvent<IndicatorDefined> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<IndicatorDescriptionRevised> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<BaselineSet> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<TargetSet> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<TargetRevised> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<MeasurementRecorded> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<MeasurementCorrected> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<MeasurementRetracted> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<MeasurementApproved> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<StatusOverridden> e, IDocumentSession session) => Refresh(session);
    public static Task Handle(IEvent<StatusOverrideCleared> e, IDocumentSession session) => Refresh(session);

    // Thirty-odd small documents: recomputing all six summaries costs one query.
    public static async Task Refresh(IDocumentSession session)
    {
        var indicators = await session.Query<IndicatorProgress>().ToListAsync();
        session.Store(PlanSummary.AllOf(indicators).ToArray());
    }
}
