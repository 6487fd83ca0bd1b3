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

/// <summary>One line of an indicator's history: what changed, the value before and after, who and why.</summary>
public sealed record IndicatorTimelineEntry(
    Guid Id, string IndicatorCode, long Sequence, string Change, Guid? MeasurementId, string? Period,
    decimal? ValueBefore, decimal? ValueAfter, string? By, DateTimeOffset At, string? Reason);

/// <summary>
/// The history view, one document per event. Asynchronous (Marten's daemon): nobody waits for it on a write,
/// and it only ever adds lines, so a few hundred milliseconds behind the events is fine.
/// </summary>
public partial class IndicatorTimelineProjection : EventProjection
{
    public IndicatorTimelineEntry Create(IEvent<IndicatorDefined> e) =>
        Entry(e, "defined", null, null, null, null, null, null);

    public IndicatorTimelineEntry Create(IEvent<TargetRevised> e) =>
        Entry(e, "target revised", null, e.Data.Period.ToString(), null, e.Data.Value, null, e.Data.Reason);

    public IndicatorTimelineEntry Create(IEvent<MeasurementRecorded> e) =>
        Entry(e, "recorded", e.Data.MeasurementId, e.Data.Period.ToString(), null, e.Data.Value, e.Data.RecordedBy, e.Data.Note);

    public IndicatorTimelineEntry Create(IEvent<MeasurementCorrected> e) =>
        Entry(e, "corrected", e.Data.MeasurementId, null, e.Data.PreviousValue, e.Data.Value, e.Data.CorrectedBy, e.Data.Reason);

    public IndicatorTimelineEntry Create(IEvent<MeasurementRetracted> e) =>
        Entry(e, "retracted", e.Data.MeasurementId, null, e.Data.PreviousValue, null, e.Data.RetractedBy, e.Data.Reason);

    public IndicatorTimelineEntry Create(IEvent<MeasurementSubmittedForReview> e) =>
        Entry(e, "submitted for review", e.Data.MeasurementId, null, null, null, e.Data.SubmittedBy, null);

    public IndicatorTimelineEntry Create(IEvent<MeasurementApproved> e) =>
        Entry(e, "approved and published", e.Data.MeasurementId, null, null, e.Data.Value, e.Data.ApprovedBy, null);

    public IndicatorTimelineEntry Create(IEvent<MeasurementSentBack> e) =>
        Entry(e, "sent back", e.Data.MeasurementId, null, null, null, e.Data.SentBackBy, e.Data.Comment);

    public IndicatorTimelineEntry Create(IEvent<Milestones.MilestoneRecorded> e) =>
        Entry(e, $"{e.Data.Kind.ToString().ToLowerInvariant()} recorded: {e.Data.Title}", null, e.Data.Date.ToString("yyyy-MM-dd"),
            null, null, e.Data.RecordedBy, e.Data.Link);

    public IndicatorTimelineEntry Create(IEvent<StatusOverridden> e) =>
        Entry(e, $"status overridden: {e.Data.Status}", null, null, null, null, e.Data.OverriddenBy, e.Data.Reason);

    public IndicatorTimelineEntry Create(IEvent<StatusOverrideCleared> e) =>
        Entry(e, "status override cleared", null, null, null, null, e.Data.ClearedBy, e.Data.Reason);

    private static IndicatorTimelineEntry Entry(IEvent e, string change, Guid? measurementId, string? period,
        decimal? before, decimal? after, string? by, string? reason) =>
        new(e.Id, e.StreamKey!, e.Sequence, change, measurementId, period, before, after, by, e.Timestamp, reason);
}

public static class GetIndicatorTimelineEndpoint
{
    /// <remarks>Shows values before publication, so it is for the secretariat, reviewers and council only.</remarks>
    [Authorize(Policy = Policies.ViewDrafts)]
    [WolverineGet("/api/indicators/{code}/timeline")]
    public static Task<IReadOnlyList<IndicatorTimelineEntry>> Get(string code, IQuerySession session, CancellationToken ct) =>
        session.Query<IndicatorTimelineEntry>().Where(e => e.IndicatorCode == code).OrderBy(e => e.Sequence).ToListAsync(ct);
}
