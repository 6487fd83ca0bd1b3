using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Society5Kpi.Measurements.Correcting;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Measurements.Reviewing;

namespace Society5Kpi.Indicators;

/// <summary>
/// One figure (a prefecture's, or with <see cref="MunicipalityCode"/> a municipality's) as the secretariat works on it,
/// a document of its own keyed by its measurement id. Commands check the one figure they work on by a key lookup and
/// the history pages query an indicator's figures by index, so no document has to hold every figure of an indicator:
/// a write costs the same however many figures exist.
/// </summary>
/// <param name="Sequence">The recording event's sequence number: the order the figures were recorded in.</param>
/// <param name="Period">The entry's period in its canonical form, and <paramref name="Source"/>: the imports' duplicate check.</param>
public sealed record RecordedFigure(
    Guid Id, string IndicatorCode, string? MunicipalityCode, long Sequence, string Period, string? Source, MeasurementEntry Entry)
{
    public RecordedFigure With(MeasurementEntry entry) => this with { Entry = entry };

    /// <summary>The figure of this indicator (and municipality, or the prefecture's when null), if it is one of them.</summary>
    public static async Task<MeasurementEntry?> FindAsync(IQuerySession session, string indicatorCode, string? municipalityCode,
        Guid measurementId, CancellationToken ct = default) =>
        await session.LoadAsync<RecordedFigure>(measurementId, ct) is { } figure &&
        figure.IndicatorCode == indicatorCode && figure.MunicipalityCode == municipalityCode
            ? figure.Entry
            : null;

    /// <summary>The prefecture's figures of these indicators, each list in the order they were recorded: an index query.</summary>
    public static async Task<ILookup<string, MeasurementEntry>> PrefectureFiguresAsync(IQuerySession session,
        IReadOnlyCollection<string> indicatorCodes, CancellationToken ct = default)
    {
        var codes = indicatorCodes.ToArray();
        var figures = await session.Query<RecordedFigure>()
            .Where(f => f.MunicipalityCode == null && f.IndicatorCode.IsOneOf(codes))
            .OrderBy(f => f.Sequence)
            .ToListAsync(ct);
        return figures.ToLookup(f => f.IndicatorCode, f => f.Entry);
    }
}

/// <summary>Keeps each figure's <see cref="RecordedFigure"/>. Inline: a figure is checked and shown right after it is written.</summary>
public partial class RecordedFigureProjection : MultiStreamProjection<RecordedFigure, Guid>
{
    public RecordedFigureProjection()
    {
        Identity<IFigureEvent>(e => e.MeasurementId);
    }

    public RecordedFigure Create(IEvent<MeasurementRecorded> e) => new(
        e.Data.MeasurementId, e.Data.IndicatorCode, e.Data.MunicipalityCode, e.Sequence, e.Data.Period.ToString(), e.Data.Source,
        MeasurementEntries.Entry(e.Data));

    public RecordedFigure Apply(MeasurementCorrected e, RecordedFigure current) => current.With(current.Entry.Apply(e));
    public RecordedFigure Apply(MeasurementSubmittedForReview e, RecordedFigure current) => current.With(current.Entry.Apply(e));
    public RecordedFigure Apply(MeasurementApproved e, RecordedFigure current) => current.With(current.Entry.Apply(e));
    public RecordedFigure Apply(MeasurementSentBack e, RecordedFigure current) => current.With(current.Entry.Apply(e));
    public bool ShouldDelete(MeasurementRetracted e) => true;
}
