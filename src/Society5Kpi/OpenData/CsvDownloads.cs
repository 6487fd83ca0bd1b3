using System.Globalization;
using CsvHelper;
using Marten;
using Society5Kpi.Components;
using Society5Kpi.Domain;
using Society5Kpi.Embeds;
using Society5Kpi.Indicators;
using Society5Kpi.Municipalities.Registering;
using Wolverine.Http;

namespace Society5Kpi.OpenData;

/// <summary>
/// The open data as CSV, from the public view only: the indicators with their baselines, targets, latest published
/// figures and status; every published figure, the prefecture's and the municipalities'; one indicator's figures.
/// UTF-8 with a BOM (so Excel opens the Japanese text), one header row, ISO dates with a 和暦 column beside them, and
/// text cells a spreadsheet would run as a formula (starting with = + - @) escaped, as OWASP advises.
/// </summary>
public static class CsvDownloads
{
    private static readonly CultureInfo Japanese = new("ja-JP");

    private static readonly string[] IndicatorColumns =
    [
        "code", "area", "area_ja", "plan_indicator", "name_ja", "name_en", "unit", "unit_ja", "direction", "measure", "frequency",
        "baseline_value", "baseline_period", "baseline_period_ja", "target_value", "target_period", "target_period_ja",
        "latest_value", "latest_period", "latest_period_ja", "latest_as_of", "latest_as_of_ja", "latest_published_on",
        "progress_share", "status", "status_ja", "source"
    ];

    private static readonly string[] MeasurementColumns =
    [
        "indicator_code", "indicator_name_ja", "municipality_code", "municipality_name", "period", "period_ja", "as_of", "as_of_ja",
        "value", "unit", "numerator", "denominator", "source", "note", "published_on", "correction_reason"
    ];

    [WolverineGet("/data/indicators.csv")]
    public static async Task<IResult> Indicators(IQuerySession session, HttpContext http)
    {
        var indicators = await PublicPlan.IndicatorsAsync(session, null, http.RequestAborted);
        return CachedResponse.Of(http, Write(IndicatorColumns, indicators.Select(IndicatorRow)), "text/csv; charset=utf-8", "indicators.csv");
    }

    [WolverineGet("/data/measurements.csv")]
    public static async Task<IResult> Measurements(IQuerySession session, HttpContext http)
    {
        var indicators = await PublicPlan.IndicatorsAsync(session, null, http.RequestAborted);
        var names = await MunicipalityNamesAsync(session, http.RequestAborted);
        var rows = new List<IReadOnlyList<object?>>();
        foreach (var indicator in indicators) rows.AddRange(await FigureRowsAsync(session, indicator, names, http.RequestAborted));
        return CachedResponse.Of(http, Write(MeasurementColumns, rows), "text/csv; charset=utf-8", "measurements.csv");
    }

    [WolverineGet("/data/indicators/{code}.csv")]
    public static async Task<IResult> Indicator(string code, IQuerySession session, HttpContext http)
    {
        if (await PublicPlan.IndicatorAsync(session, code, null, http.RequestAborted) is not { } indicator) return Results.NotFound();
        var names = await MunicipalityNamesAsync(session, http.RequestAborted);
        var rows = await FigureRowsAsync(session, indicator, names, http.RequestAborted);
        return CachedResponse.Of(http, Write(MeasurementColumns, rows), "text/csv; charset=utf-8", $"{indicator.Id}.csv");
    }

    private static IReadOnlyList<object?> IndicatorRow(PublishedIndicator i) =>
    [
        i.Id, i.Area.ToString().ToLowerInvariant(), InJapanese(() => Ui.Area(i.Area)), i.PlanIndicator ? "true" : "false", i.NameJa, i.NameEn,
        i.Unit, i.UnitJa, i.Direction.ToString().ToLowerInvariant(), i.Measure.ToString().ToLowerInvariant(), i.Frequency.ToString().ToLowerInvariant(),
        i.Baseline?.Value, i.Baseline?.Period.ToString(), i.Baseline?.Period.ToJapanese(),
        i.Target?.Value, i.Target?.Period.ToString(), i.Target?.Period.ToJapanese(),
        i.Latest?.Value, i.Latest?.Period.ToString(), i.Latest?.Period.ToJapanese(), i.Latest?.AsOf, Era(i.Latest?.AsOf), i.Latest?.PublishedOn,
        i.Progress?.Share, (i.Status ?? Status.NoDataYet).ToString(), InJapanese(() => Ui.Status(i.Status ?? Status.NoDataYet)), i.Source
    ];

    /// <summary>An indicator's published figures: Hokkaido's, then each municipality's (where it has a breakdown).</summary>
    private static async Task<IReadOnlyList<IReadOnlyList<object?>>> FigureRowsAsync(
        IQuerySession session, PublishedIndicator i, IReadOnlyDictionary<string, string> names, CancellationToken ct)
    {
        var rows = i.Figures.Select(f => FigureRow(i, null, null, f)).ToList();
        if (i.Breakdown is not null)
            rows.AddRange((await PublicPlan.PublishedMunicipalAsync(session, i.Id, null, ct)).OrderBy(m => m.Code).ThenBy(m => m.Figure.AsOf)
                .Select(m => FigureRow(i, m.Code, names.GetValueOrDefault(m.Code), m.Figure)));
        return rows;
    }

    private static async Task<IReadOnlyDictionary<string, string>> MunicipalityNamesAsync(IQuerySession session, CancellationToken ct) =>
        (await session.Query<Municipality>().ToListAsync(ct)).ToDictionary(m => m.Id, m => m.Details.Name);

    private static IReadOnlyList<object?> FigureRow(PublishedIndicator i, string? municipality, string? name, PublishedFigure f) =>
    [
        i.Id, i.NameJa, municipality, name ?? (municipality is null ? "北海道" : null), f.Period.ToString(), f.Period.ToJapanese(), f.AsOf, Era(f.AsOf),
        f.Value, i.Unit, f.Numerator, f.Denominator, f.Source, f.Note, f.PublishedOn, f.CorrectionReason
    ];

    /// <summary>令和6年1月31日: the date as Japanese documents write it.</summary>
    private static string? Era(DateOnly? day) => day is { } d ? $"{JapaneseEra.Year(d)}{d.Month}月{d.Day}日" : null;

    private static string InJapanese(Func<string> text)
    {
        var culture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = Japanese;
        try { return text(); }
        finally { CultureInfo.CurrentUICulture = culture; }
    }

    private static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, CsvWriterOptions.Default with { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            foreach (var column in header) csv.WriteField(column);
            csv.EndRecord();
            foreach (var row in rows)
            {
                foreach (var cell in row)
                    switch (cell)
                    {
                        case decimal number: csv.WriteField(number, "G", CultureInfo.InvariantCulture); break;
                        case DateOnly day: csv.WriteField(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
                        case null: csv.WriteField(""); break;
                        default: csv.WriteField(cell.ToString()); break;
                    }
                csv.EndRecord();
            }
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
