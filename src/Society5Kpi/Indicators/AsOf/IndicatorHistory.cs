using System.Reflection;
using JasperFx.Events;
using Marten;
using Marten.Linq.MatchesSql;
using Society5Kpi.Domain;
using Society5Kpi.Indicators.Defining;
using Society5Kpi.Indicators.Reviewing;
using Society5Kpi.Measurements.Correcting;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Measurements.Reviewing;

namespace Society5Kpi.Indicators.AsOf;

/// <summary>
/// An indicator as it was known at a moment: its stream's events known by then, folded by the same
/// Create/Apply methods as the live projection. Two time axes meet here: a figure's period (what it refers to)
/// and when it became known; a Q3 figure corrected in Q4 shows the old value in a view dated before the correction.
/// </summary>
public static class IndicatorHistory
{
    /// <summary>
    /// When an event became known. The plan's own definition (indicator, baseline, first target) was adopted
    /// before any figure was tracked, so it is always known; figures carry their own dates; anything else
    /// (a revised target, a revised description) dates from when it was stored.
    /// </summary>
    public static DateTimeOffset? KnownAt(IEvent e) => e.Data switch
    {
        IndicatorDefined or BaselineSet or TargetSet => null,
        MeasurementRecorded m => m.KnownFrom,
        MeasurementCorrected c => c.CorrectedAt,
        MeasurementRetracted r => r.RetractedAt,
        StatusOverridden o => o.OverriddenAt,
        StatusOverrideCleared c => c.ClearedAt,
        MeasurementSubmittedForReview s => s.SubmittedAt,
        MeasurementApproved a => a.ApprovedAt,
        MeasurementSentBack b => b.SentBackAt,
        Milestones.MilestoneRecorded m => m.RecordedAt,
        _ => e.Timestamp
    };

    /// <summary>The indicator as known at <paramref name="moment"/> with its figures then, or null if it was not defined then.</summary>
    public static IndicatorProgress? Fold(IEnumerable<IEvent> events, DateTimeOffset moment)
    {
        IndicatorProgress? state = null;
        var figures = System.Collections.Immutable.ImmutableList<MeasurementEntry>.Empty;
        foreach (var e in events.Where(e => KnownAt(e) is not { } known || known <= moment))
        {
            state = e.Data is IndicatorDefined defined ? IndicatorProgress.Create(defined) : state is null ? null : Apply(state, e.Data);
            // The live document's figures are in their own documents: here they are folded by the same transitions.
            if (e.Data is IFigureEvent { MunicipalityCode: null }) figures = figures.Apply(e.Data);
        }
        return state?.WithMeasurements(figures);
    }

    /// <summary>Every indicator as known at the end of <paramref name="day"/> in Japan.</summary>
    public static async Task<IReadOnlyList<IndicatorProgress>> AsOfAsync(IQuerySession session, DateOnly day, CancellationToken ct = default) =>
        await AsOfAsync(session, day, await session.Query<IndicatorProgress>().Select(i => i.Id).ToListAsync(ct), ct);

    /// <summary>The indicators <paramref name="codes"/> as known at the end of <paramref name="day"/> in Japan.</summary>
    public static async Task<IReadOnlyList<IndicatorProgress>> AsOfAsync(IQuerySession session, DateOnly day,
        IReadOnlyCollection<string> codes, CancellationToken ct = default)
    {
        var moment = JapanTime.StartOf(day.AddDays(1));
        var events = await PrefectureEvents(session, codes).ToListAsync(ct);
        return events.GroupBy(e => e.StreamKey!)
            .Select(stream => Fold(stream, moment))
            .OfType<IndicatorProgress>()
            .Select(known => known with { Version = 0 })
            .OrderBy(i => i.Id, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>One indicator as known at the end of <paramref name="day"/> in Japan: its own stream only.</summary>
    public static async Task<IndicatorProgress?> AsOfAsync(IQuerySession session, string code, DateOnly day, CancellationToken ct = default) =>
        (await AsOfAsync(session, day, [code], ct)).SingleOrDefault();

    /// <summary>
    /// The indicators' events in the order they were stored, without their municipalities' figures: those belong to the
    /// breakdown, never change the indicator, and are nearly all of a breakdown indicator's stream. Read through the
    /// partial index <see cref="PrefectureEventsIndex"/>, so the fold reads what it folds and not the breakdown too.
    /// </summary>
    private static IQueryable<IEvent> PrefectureEvents(IQuerySession session, IReadOnlyCollection<string> codes) =>
        session.Events.QueryAllRawEvents()
            .Where(e => e.StreamKey!.IsOneOf(codes.ToArray()))
            .Where(e => e.MatchesSql(PrefectureEventsIndex.Predicate))
            .OrderBy(e => e.Sequence);

    /// <summary>Every indicator now (the live documents), or as known at the end of <paramref name="day"/>.</summary>
    public static async Task<IReadOnlyList<IndicatorProgress>> NowOrAsOfAsync(IQuerySession session, DateOnly? day, CancellationToken ct = default) =>
        day is { } d ? await AsOfAsync(session, d, ct)
            : await IndicatorProgress.WithMeasurementsAsync(session, await session.Query<IndicatorProgress>().OrderBy(i => i.Id).ToListAsync(ct), ct);

    private static IndicatorProgress Apply(IndicatorProgress state, object data) =>
        ApplyMethods.TryGetValue(data.GetType(), out var apply) ? (IndicatorProgress)apply.Invoke(state, [data])! : state;

    // The projection's own Apply methods, found once, so the as-of fold can never differ from the live one.
    private static readonly Dictionary<Type, MethodInfo> ApplyMethods = typeof(IndicatorProgress)
        .GetMethods(BindingFlags.Public | BindingFlags.Instance)
        .Where(m => m.Name == nameof(IndicatorProgress.Apply) && m.GetParameters().Length == 1)
        .ToDictionary(m => m.GetParameters()[0].ParameterType);
}
