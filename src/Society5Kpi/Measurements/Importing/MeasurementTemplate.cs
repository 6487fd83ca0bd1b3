using CsvHelper;
using FluentValidation;
using FluentValidation.Results;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Wolverine.Http;

namespace Society5Kpi.Measurements.Importing;

/// <summary>
/// The CSV to fill in for a fiscal quarter: a row per quantitative indicator whose next figure is due by the
/// quarter's end, in the columns the import reads. UTF-8 with a BOM, so that Excel shows the Japanese names.
/// </summary>
public static class MeasurementTemplateEndpoint
{
    private static readonly string[] Columns = ["indicator_code", "name_ja", "unit", "period", "as_of", "value", "source", "note"];

    [Authorize(Policy = Policies.Enter)]
    [WolverineGet("/api/imports/measurements/template")]
    public static async Task<IResult> Get(string? quarter, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var period = QuarterOrNow(quarter, clock);
        var indicators = await session.Query<IndicatorProgress>().OrderBy(i => i.Id).ToListAsync(ct);
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, CsvWriterOptions.Default with { WriteByteOrderMark = true }, leaveOpen: true))
        {
            WriteRecord(csv, Columns);
            foreach (var i in indicators.Where(i => i.Measure != Measure.Qualitative && i.TimelinessOn(period.End).DueThisQuarter))
                WriteRecord(csv, [i.Id, i.NameJa, i.Unit, PeriodFor(i.Frequency, period), "", "", "", ""]);
        }
        return Results.File(buffer.ToArray(), "text/csv; charset=utf-8", $"measurements-{period}.csv");
    }

    public static string Link(Period quarter) => $"/api/imports/measurements/template?quarter={quarter}";

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

    private static void WriteRecord(CsvWriter csv, IEnumerable<string> fields)
    {
        foreach (var field in fields) csv.WriteField(field);
        csv.EndRecord();
    }
}
