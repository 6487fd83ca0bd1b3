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
    [WolverineGet("/api/indicators")]
    public static async Task<IResult> Get(string? asOf, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var day = AsOfDate.Parse(asOf);
        if (!Caller.MaySeeDrafts(http.User)) return Results.Ok(await PublicPlan.IndicatorsAsync(session, day, ct));
        return Results.Ok(day is { } d
            ? await IndicatorHistory.AsOfAsync(session, d, ct)
            : await session.Query<IndicatorProgress>().OrderBy(i => i.Id).ToListAsync(ct));
    }

    [WolverineGet("/api/indicators/{code}")]
    public static async Task<IResult> GetOne(string code, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        if (!Caller.MaySeeDrafts(http.User))
            return await PublicPlan.IndicatorAsync(session, code, null, ct) is { } published ? Results.Ok(published) : Results.NotFound();
        return await session.LoadAsync<IndicatorProgress>(code, ct) is { } indicator ? Results.Ok(indicator) : Results.NotFound();
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
