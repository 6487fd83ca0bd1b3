using System.Collections.Immutable;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.AsOf;
using Society5Kpi.Measurements.Correcting;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Measurements.Reviewing;

namespace Society5Kpi.Municipalities.Figures;

/// <summary>
/// One municipality's figures for one indicator (e.g. ADM-03's card rate for 札幌市): the indicator's breakdown.
/// The events sit in the indicator's own stream, so a municipal figure is written, reviewed and corrected under the
/// same expected-version check as the prefecture's; this document gathers them by municipality.
/// </summary>
public sealed record MunicipalFigures
{
    public string Id { get; init; } = "";
    public long Version { get; init; }
    public string IndicatorCode { get; init; } = "";
    public string MunicipalityCode { get; init; } = "";
    public ImmutableList<MeasurementEntry> Measurements { get; init; } = [];
    public PublishedFigure? Latest { get; init; }
    public MeasurementEntry? LatestDraft { get; init; }
    public string? LastChangedBy { get; init; }
    public DateTimeOffset? LastChangedAt { get; init; }

    public static string IdOf(string indicatorCode, string municipalityCode) => $"{indicatorCode}/{municipalityCode}";

    public static MunicipalFigures Start(IFigureEvent e) => Empty(e.IndicatorCode, e.MunicipalityCode!);

    /// <summary>A municipality with no figure yet for the indicator.</summary>
    public static MunicipalFigures Empty(string indicatorCode, string municipalityCode) => new()
    {
        Id = IdOf(indicatorCode, municipalityCode), IndicatorCode = indicatorCode, MunicipalityCode = municipalityCode
    };

    /// <summary>
    /// A new figure goes last in the list, and of two figures for one date the later counts: it is the latest (published,
    /// or draft) unless the current one is for a later date. So recording, the most frequent event by far (an import, a
    /// rebuild), does not sort every figure of the municipality again.
    /// </summary>
    public MunicipalFigures Apply(MeasurementRecorded e)
    {
        var entry = MeasurementEntries.Entry(e);
        return this with
        {
            Measurements = Measurements.Add(entry),
            Latest = entry.Published() is { } published && (Latest is null || published.AsOf >= Latest.AsOf) ? published : Latest,
            LatestDraft = entry.Review != ReviewState.Published &&
                          (LatestDraft is null || (entry.AsOf, entry.RecordedAt).CompareTo((LatestDraft.AsOf, LatestDraft.RecordedAt)) >= 0)
                ? entry
                : LatestDraft,
            LastChangedBy = e.RecordedBy, LastChangedAt = e.RecordedAt
        };
    }
    public MunicipalFigures Apply(MeasurementCorrected e) => Changed(Measurements.Apply(e), e.CorrectedBy, e.CorrectedAt);
    public MunicipalFigures Apply(MeasurementSubmittedForReview e) => Changed(Measurements.Apply(e), e.SubmittedBy, e.SubmittedAt);
    public MunicipalFigures Apply(MeasurementApproved e) => Changed(Measurements.Apply(e), e.ApprovedBy, e.ApprovedAt);
    public MunicipalFigures Apply(MeasurementSentBack e) => Changed(Measurements.Apply(e), e.SentBackBy, e.SentBackAt);
    public MunicipalFigures Apply(MeasurementRetracted e) => Changed(Measurements.Apply(e), e.RetractedBy, e.RetractedAt);

    private MunicipalFigures Changed(ImmutableList<MeasurementEntry> measurements, string by, DateTimeOffset at) => this with
    {
        Measurements = measurements, Latest = measurements.LatestPublished(), LatestDraft = measurements.LatestDraft(),
        LastChangedBy = by, LastChangedAt = at
    };

    /// <summary>The figure recorded for this period from this source, if any: imports never record it twice.</summary>
    public MeasurementEntry? RecordedFor(string? period, string? source) => Measurements.RecordedFor(period, source);

    /// <summary>Applies one figure event; any other event leaves it as it is.</summary>
    public MunicipalFigures Apply(object data) => data switch
    {
        MeasurementRecorded e => Apply(e),
        MeasurementCorrected e => Apply(e),
        MeasurementSubmittedForReview e => Apply(e),
        MeasurementApproved e => Apply(e),
        MeasurementSentBack e => Apply(e),
        MeasurementRetracted e => Apply(e),
        _ => this
    };

    /// <summary>Each municipality's figures of an indicator as known at <paramref name="moment"/>: the same Apply as the live document.</summary>
    public static IReadOnlyList<MunicipalFigures> Fold(IEnumerable<IEvent> indicatorEvents, DateTimeOffset moment) =>
        indicatorEvents
            .Where(e => e.Data is IFigureEvent { MunicipalityCode: not null } && (IndicatorHistory.KnownAt(e) is not { } known || known <= moment))
            .GroupBy(e => ((IFigureEvent)e.Data).MunicipalityCode!)
            .Select(g => g.Aggregate(Start((IFigureEvent)g.First().Data), (m, e) => m.Apply(e.Data)))
            .ToList();

    /// <summary>Every municipality's figures of an indicator known by the end of <paramref name="day"/> (Japan time).</summary>
    public static async Task<IReadOnlyList<MunicipalFigures>> AsOfAsync(IQuerySession session, string indicatorCode, DateOnly day, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(indicatorCode, token: ct);
        return Fold(events, Domain.JapanTime.StartOf(day.AddDays(1)));
    }
}

/// <summary>Gathers the figure events of each (indicator, municipality) into its <see cref="MunicipalFigures"/>. Inline: read right after writes.</summary>
public partial class MunicipalFiguresProjection : MultiStreamProjection<MunicipalFigures, string>
{
    public MunicipalFiguresProjection()
    {
        Identities<IFigureEvent>(e => e.MunicipalityCode is { } municipality ? [MunicipalFigures.IdOf(e.IndicatorCode, municipality)] : []);
    }

    public MunicipalFigures Create(MeasurementRecorded e) => MunicipalFigures.Start(e).Apply(e);
    public MunicipalFigures Apply(MeasurementRecorded e, MunicipalFigures current) => current.Apply(e);
    public MunicipalFigures Apply(MeasurementCorrected e, MunicipalFigures current) => current.Apply(e);
    public MunicipalFigures Apply(MeasurementSubmittedForReview e, MunicipalFigures current) => current.Apply(e);
    public MunicipalFigures Apply(MeasurementApproved e, MunicipalFigures current) => current.Apply(e);
    public MunicipalFigures Apply(MeasurementSentBack e, MunicipalFigures current) => current.Apply(e);
    public MunicipalFigures Apply(MeasurementRetracted e, MunicipalFigures current) => current.Apply(e);
}
