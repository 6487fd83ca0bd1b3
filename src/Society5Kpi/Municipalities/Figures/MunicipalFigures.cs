using System.Collections.Immutable;
using JasperFx.Events;
using Marten;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.AsOf;

namespace Society5Kpi.Municipalities.Figures;

/// <summary>
/// One municipality's figures for one indicator (e.g. ADM-03's card rate for 札幌市), in the order they were recorded:
/// the indicator's breakdown. Not a document of its own: each figure is its <see cref="RecordedFigure"/>, read by the
/// (indicator, municipality, sequence) index, so no write rewrites a list that grows with every figure.
/// </summary>
public sealed record MunicipalFigures(string IndicatorCode, string MunicipalityCode, ImmutableList<MeasurementEntry> Measurements)
{
    public static string IdOf(string indicatorCode, string municipalityCode) => $"{indicatorCode}/{municipalityCode}";

    public string Id => IdOf(IndicatorCode, MunicipalityCode);
    public PublishedFigure? Latest => Measurements.LatestPublished();

    /// <summary>The figure recorded for this period from this source, if any: imports never record it twice.</summary>
    public MeasurementEntry? RecordedFor(string? period, string? source) => Measurements.RecordedFor(period, source);

    /// <summary>
    /// Each municipality's figures of these indicators as they stand now, by <see cref="Id"/>: every municipality's, or
    /// only <paramref name="municipalityCode"/>'s. The indicator codes lead the (indicator, municipality, sequence) index
    /// that answers both.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, MunicipalFigures>> OfIndicatorsAsync(IQuerySession session,
        IReadOnlyCollection<string> indicatorCodes, CancellationToken ct = default, string? municipalityCode = null)
    {
        var codes = indicatorCodes.ToArray();
        var figures = session.Query<RecordedFigure>().Where(f => f.IndicatorCode.IsOneOf(codes));
        figures = municipalityCode is null
            ? figures.Where(f => f.MunicipalityCode != null)
            : figures.Where(f => f.MunicipalityCode == municipalityCode);
        return (await figures.OrderBy(f => f.Sequence).ToListAsync(ct))
            .GroupBy(f => (f.IndicatorCode, Municipality: f.MunicipalityCode!))
            .Select(g => new MunicipalFigures(g.Key.IndicatorCode, g.Key.Municipality, g.Select(f => f.Entry).ToImmutableList()))
            .ToDictionary(f => f.Id);
    }

    /// <summary>Each municipality's figures of an indicator as known at <paramref name="moment"/>: the same list transitions as the figures' own documents.</summary>
    public static IReadOnlyList<MunicipalFigures> Fold(IEnumerable<IEvent> indicatorEvents, DateTimeOffset moment) =>
        indicatorEvents
            .Where(e => e.Data is IFigureEvent { MunicipalityCode: not null } && (IndicatorHistory.KnownAt(e) is not { } known || known <= moment))
            .GroupBy(e => (Indicator: ((IFigureEvent)e.Data).IndicatorCode, Municipality: ((IFigureEvent)e.Data).MunicipalityCode!))
            .Select(g => new MunicipalFigures(g.Key.Indicator, g.Key.Municipality,
                g.Aggregate(ImmutableList<MeasurementEntry>.Empty, (list, e) => list.Apply(e.Data))))
            .ToList();

    /// <summary>Every municipality's figures of an indicator known by the end of <paramref name="day"/> (Japan time).</summary>
    public static async Task<IReadOnlyList<MunicipalFigures>> AsOfAsync(IQuerySession session, string indicatorCode, DateOnly day, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(indicatorCode, token: ct);
        return Fold(events, Domain.JapanTime.StartOf(day.AddDays(1)));
    }
}
