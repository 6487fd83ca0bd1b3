using CsvHelper;
using FluentValidation;
using FluentValidation.Results;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Municipalities.Registering;
using Wolverine.Http;

namespace Society5Kpi.Measurements.Importing;

/// <summary>
/// The sheet to fill in for a fiscal quarter: a row per quantitative indicator whose next figure is due by the quarter's
/// end, in the columns the import reads. With ?indicator=, that indicator's sheet instead: for one recorded per
/// municipality, a row for Hokkaido and one for each of the 179, with the rate's parts. CSV in UTF-8 with a BOM (so that
/// Excel shows the Japanese names), or with ?format=xlsx an Excel workbook.
/// </summary>
public static class MeasurementTemplateEndpoint
{
    private static readonly string[] Columns = ["indicator_code", "name_ja", "unit", "period", "as_of", "value", "source", "note"];

    private static readonly string[] BreakdownColumns =
        ["indicator_code", "name_ja", "unit", "municipality", "municipality_name", "period", "as_of", "value", "numerator", "denominator", "source", "note"];

    [Authorize(Policy = Policies.Enter)]
    [WolverineGet("/api/imports/measurements/template")]
    public static async Task<IResult> Get(string? quarter, string? indicator, string? format, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var period = QuarterOrNow(quarter, clock);
        var xlsx = FormatIsXlsx(format);
        var (name, header, rows) = indicator is null
            ? ($"measurements-{period}", Columns, await DueRowsAsync(session, period, ct))
            : await IndicatorSheetAsync(session, indicator, period, ct);
        return xlsx
            ? Results.File(Workbook.Write(header, rows), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{name}.xlsx")
            : Results.File(Csv(header, rows), "text/csv; charset=utf-8", $"{name}.csv");
    }

    private static async Task<IReadOnlyList<IReadOnlyList<string>>> DueRowsAsync(IQuerySession session, Period quarter, CancellationToken ct) =>
        (await session.Query<IndicatorProgress>().OrderBy(i => i.Id).ToListAsync(ct))
            .Where(i => i.Measure != Measure.Qualitative && i.TimelinessOn(quarter.End).DueThisQuarter)
            .Select(i => (IReadOnlyList<string>)[i.Id, i.NameJa, i.Unit, PeriodFor(i.Frequency, quarter), "", "", "", ""])
            .ToList();

    private static async Task<(string Name, string[] Header, IReadOnlyList<IReadOnlyList<string>> Rows)> IndicatorSheetAsync(
        IQuerySession session, string code, Period quarter, CancellationToken ct)
    {
        if (await session.LoadAsync<IndicatorProgress>(code, ct) is not { Measure: not Measure.Qualitative } i)
        {
            var message = $"There is no indicator '{code}' with figures to enter.";
            throw new ValidationException(message, [new ValidationFailure("indicator", message)]);
        }
        var period = PeriodFor(i.Frequency, quarter);
        if (i.Breakdown is null) return ($"measurements-{i.Id}-{quarter}", Columns, [[i.Id, i.NameJa, i.Unit, period, "", "", "", ""]]);
        var municipalities = await session.Query<Municipality>().OrderBy(m => m.Id).ToListAsync(ct);
        IReadOnlyList<string> Row(string municipality, string name) => [i.Id, i.NameJa, i.Unit, municipality, name, period, "", "", "", "", "", ""];
        return ($"measurements-{i.Id}-{quarter}", BreakdownColumns,
            municipalities.Select(m => Row(m.Id, m.Details.Name)).Prepend(Row("", "北海道")).ToList());
    }

    private static bool FormatIsXlsx(string? format) => format?.ToLowerInvariant() switch
    {
        null or "" or "csv" => false,
        "xlsx" => true,
        _ => throw new ValidationException("format must be csv or xlsx.", [new ValidationFailure("format", "format must be csv or xlsx.")])
    };

    private static byte[] Csv(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, CsvWriterOptions.Default with { WriteByteOrderMark = true }, leaveOpen: true))
            foreach (var row in rows.Prepend(header))
            {
                foreach (var field in row) csv.WriteField(field);
                csv.EndRecord();
            }
        return buffer.ToArray();
    }

    public static string Link(Period quarter, string? indicator = null, string format = "csv") =>
        $"/api/imports/measurements/template?quarter={quarter}" + (indicator is null ? "" : $"&indicator={indicator}") + (format == "csv" ? "" : $"&format={format}");

    /// <summary>The period a figure due in the quarter is for: the quarter (or its last month), or the fiscal year just ended.</summary>
    private static string PeriodFor(ReportingFrequency frequency, Period quarter) => frequency switch
    {
        ReportingFrequency.Quarterly => quarter.ToString(),
        ReportingFrequency.Monthly => Period.Month(quarter.End.Year, quarter.End.Month).ToString(),
        ReportingFrequency.Annual => Period.FiscalYear(quarter.Year - 1).ToString(),
        _ => "" // irregular: only the person entering the figure knows its period
    };

    private static Period QuarterOrNow(string? text, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(text)) return Period.FiscalQuarterOf(JapanTime.Today(clock.GetUtcNow()));
        if (Period.TryParse(text, out var period) && period.Kind == PeriodKind.FiscalQuarter) return period;
        const string message = "quarter must be a fiscal quarter written like FY2024Q3.";
        throw new ValidationException(message, [new ValidationFailure("quarter", message)]);
    }
}
