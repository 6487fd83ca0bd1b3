using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Society5Kpi.Indicators.Defining;
using Society5Kpi.Indicators.Reviewing;
using Society5Kpi.Measurements.Correcting;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Measurements.Reviewing;
using Wolverine.Http;
using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;

namespace Society5Kpi.Indicators.Timeline;

public enum TimelineChange
{
    Defined, TargetRevised, Recorded, Corrected, Retracted, Submitted, Approved, SentBack,
    MilestoneRecorded, StatusOverridden, StatusOverrideCleared
}

/// <summary>One line of an indicator's history: what changed, the value before and after, who and why.</summary>
/// <param name="Detail">What the change was about where the kind alone does not say (a milestone's title, an overriding status).</param>
public sealed record IndicatorTimelineEntry(
    Guid Id, string IndicatorCode, long Sequence, TimelineChange Change, string? Detail, Guid? MeasurementId, string? Period,
    decimal? ValueBefore, decimal? ValueAfter, string? By, DateTimeOffset At, string? Reason);

/// <summary>
/// The history view, one document per event. Asynchronous (Marten's daemon): nobody waits for it on a write,
/// and it only ever adds lines, so a few hundred milliseconds behind the events is fine.
/// </summary>
public partial class IndicatorTimelineProjection : EventProjection
{
    public IndicatorTimelineEntry Create(IEvent<IndicatorDefined> e) =>
        Entry(e, TimelineChange.Defined, null, null, null, null, null, null, null);

    public IndicatorTimelineEntry Create(IEvent<TargetRevised> e) =>
        Entry(e, TimelineChange.TargetRevised, null, null, e.Data.Period.ToString(), null, e.Data.Value, null, e.Data.Reason);

    public IndicatorTimelineEntry Create(IEvent<MeasurementRecorded> e) =>
        Entry(e, TimelineChange.Recorded, null, e.Data.MeasurementId, e.Data.Period.ToString(), null, e.Data.Value, e.Data.RecordedBy, e.Data.Note);

    public IndicatorTimelineEntry Create(IEvent<MeasurementCorrected> e) =>
        Entry(e, TimelineChange.Corrected, null, e.Data.MeasurementId, null, e.Data.PreviousValue, e.Data.Value, e.Data.CorrectedBy, e.Data.Reason);

    public IndicatorTimelineEntry Create(IEvent<MeasurementRetracted> e) =>
        Entry(e, TimelineChange.Retracted, null, e.Data.MeasurementId, null, e.Data.PreviousValue, null, e.Data.RetractedBy, e.Data.Reason);

    public IndicatorTimelineEntry Create(IEvent<MeasurementSubmittedForReview> e) =>
        Entry(e, TimelineChange.Submitted, null, e.Data.MeasurementId, null, null, null, e.Data.SubmittedBy, null);

    public IndicatorTimelineEntry Create(IEvent<MeasurementApproved> e) =>
        Entry(e, TimelineChange.Approved, null, e.Data.MeasurementId, null, null, e.Data.Value, e.Data.ApprovedBy, null);

    public IndicatorTimelineEntry Create(IEvent<MeasurementSentBack> e) =>
        Entry(e, TimelineChange.SentBack, null, e.Data.MeasurementId, null, null, null, e.Data.SentBackBy, e.Data.Comment);

    public IndicatorTimelineEntry Create(IEvent<Milestones.MilestoneRecorded> e) =>
        Entry(e, TimelineChange.MilestoneRecorded, e.Data.Title, null, e.Data.Date.ToString("yyyy-MM-dd"),
            null, null, e.Data.RecordedBy, e.Data.Link);

    public IndicatorTimelineEntry Create(IEvent<StatusOverridden> e) =>
        Entry(e, TimelineChange.StatusOverridden, e.Data.Status.ToString(), null, null, null, null, e.Data.OverriddenBy, e.Data.Reason);

    public IndicatorTimelineEntry Create(IEvent<StatusOverrideCleared> e) =>
        Entry(e, TimelineChange.StatusOverrideCleared, null, null, null, null, null, e.Data.ClearedBy, e.Data.Reason);

    private static IndicatorTimelineEntry Entry(IEvent e, TimelineChange change, string? detail, Guid? measurementId, string? period,
        decimal? before, decimal? after, string? by, string? reason) =>
        new(e.Id, e.StreamKey!, e.Sequence, change, detail, measurementId, period, before, after, by, e.Timestamp, reason);
}

public static class GetIndicatorTimelineEndpoint
{
    /// <remarks>Shows values before publication, so it is for the secretariat, reviewers and council only.</remarks>
    [Authorize(Policy = Policies.ViewDrafts)]
    [WolverineGet("/api/indicators/{code}/timeline")]
    public static Task<IReadOnlyList<IndicatorTimelineEntry>> Get(string code, IQuerySession session, CancellationToken ct) =>
        session.Query<IndicatorTimelineEntry>().Where(e => e.IndicatorCode == code).OrderBy(e => e.Sequence).ToListAsync(ct);
}
