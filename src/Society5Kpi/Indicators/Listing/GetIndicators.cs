using System.Collections.Immutable;
using System.Globalization;
using FluentValidation;
using FluentValidation.Results;
using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Indicators.AsOf;
using Society5Kpi.Infrastructure;
using Wolverine.Http;

namespace Society5Kpi.Indicators.Listing;

public static class GetIndicatorsEndpoint
{
    /// <summary>Every indicator now, or as it was known at the end of ?asOf=YYYY-MM-DD (Japan time).</summary>
    /// <remarks>
    /// The public gets each indicator's published view (<see cref="PublishedIndicator"/>); signed-in staff and council
    /// members get the working document, with drafts and who did what.
    /// </remarks>
    /// <param name="area">Only this area's indicators (living, industry, administration, data, infrastructure).</param>
    /// <param name="indicator">Only these indicators: codes separated by commas (DAT-01,ADM-03).</param>
    /// <param name="from">Only the figures of periods that end on or after this period's start (FY2022, 令和4年度…).</param>
    /// <param name="to">Only the figures of periods that start on or before this period's end.</param>
    [WolverineGet("/api/indicators")]
    public static async Task<IResult> Get(string? asOf, string? area, string? indicator, string? from, string? to,
        IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var day = AsOfDate.Parse(asOf);
        var filter = IndicatorFilter.Parse(area, indicator, from, to);
        if (!Caller.MaySeeDrafts(http.User))
            return Results.Ok((await PublicPlan.IndicatorsAsync(session, day, ct)).Where(i => filter.Keeps(i.Area, i.Id)).Select(filter.Figures).ToList());
        var working = await IndicatorHistory.NowOrAsOfAsync(session, day, ct);
        return Results.Ok(working.Where(i => filter.Keeps(i.Area, i.Id)).Select(filter.Measurements).ToList());
    }

    [WolverineGet("/api/indicators/{code}")]
    public static async Task<IResult> GetOne(string code, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        if (!Caller.MaySeeDrafts(http.User))
            return await PublicPlan.IndicatorAsync(session, code, null, ct) is { } published ? Results.Ok(published) : Results.NotFound();
        return await IndicatorProgress.LoadWithMeasurementsAsync(session, code, ct) is { } indicator ? Results.Ok(indicator) : Results.NotFound();
    }

    /// <summary>Which indicators expect a figure: overdue ones and those due by the end of this fiscal quarter.</summary>
    [WolverineGet("/api/indicators/due")]
    public static async Task<IReadOnlyList<IndicatorDue>> GetDue(IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var today = JapanTime.Today(clock.GetUtcNow());
        var indicators = await session.Query<IndicatorProgress>().OrderBy(i => i.Id).ToListAsync(ct);
        return indicators
            .Select(i => new IndicatorDue(i.Id, i.NameJa, i.NameEn, i.TimelinessOn(today)))
            .Where(d => d.Timeliness.DueThisQuarter)
            .ToList();
    }
}

/// <summary>The open-data filters of GET /api/indicators: by area, by indicator, and the figures by period range.</summary>
public sealed record IndicatorFilter(Area? Area, IReadOnlySet<string>? Codes, Period? From, Period? To)
{
    public static IndicatorFilter Parse(string? area, string? codes, string? from, string? to)
    {
        var failures = new List<ValidationFailure>();
        Area? chosen = null;
        if (!string.IsNullOrWhiteSpace(area))
        {
            if (Enum.TryParse<Area>(area, ignoreCase: true, out var a) && Enum.IsDefined(a)) chosen = a;
            else failures.Add(new("area", $"'{area}' is not an area (living, industry, administration, data, infrastructure)."));
        }
        Period? PeriodOf(string field, string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (JapaneseInput.TryPeriod(text, out var p)) return p;
            failures.Add(new(field, $"'{text}' is not a period (accepted: {JapaneseInput.PeriodForms})."));
            return null;
        }
        var (start, end) = (PeriodOf("from", from), PeriodOf("to", to));
        if (failures.Count > 0) throw new ValidationException(string.Join(" ", failures.Select(f => f.ErrorMessage)), failures);
        var set = string.IsNullOrWhiteSpace(codes) ? null
            : codes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new IndicatorFilter(chosen, set, start, end);
    }

    public bool Keeps(Area area, string code) => (Area is null || Area == area) && (Codes is null || Codes.Contains(code));

    private bool InRange(Period p) => (From is not { } f || p.End >= f.Start) && (To is not { } t || p.Start <= t.End);

    /// <summary>The published figures in the period range; status and latest stay those of all the figures.</summary>
    public PublishedIndicator Figures(PublishedIndicator i) => From is null && To is null ? i : i with { Figures = i.Figures.Where(f => InRange(f.Period)).ToList() };

    public IndicatorProgress Measurements(IndicatorProgress i) =>
        From is null && To is null ? i : i with { Measurements = i.Measurements.Where(m => InRange(m.Period)).ToImmutableList() };
}

public sealed record IndicatorDue(string Code, string NameJa, string NameEn, Timeliness Timeliness);

/// <summary>The ?asOf=YYYY-MM-DD of the as-of views: a date the product supports (see <see cref="SupportedDates"/>).</summary>
public static class AsOfDate
{
    public static DateOnly? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) &&
            SupportedDates.Contains(day)) return day;
        var message = $"asOf must be a date written YYYY-MM-DD from {SupportedDates.Range}.";
        throw new ValidationException(message, [new ValidationFailure("asOf", message)]);
    }
}
