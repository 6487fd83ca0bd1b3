using System.Globalization;
using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.OpenData;
using Society5Kpi.Summaries;
using Wolverine.Http;

namespace Society5Kpi.Embeds;

/// <summary>
/// KPI widgets for other sites: an iframe page and an SVG image per indicator and per area, read from the public view.
/// They may be framed by any site (see FramingPolicy); everything else of the site may not.
/// </summary>
public static class EmbedEndpoints
{
    [WolverineGet("/embed/indicators/{code}")]
    public static Task<IResult> IndicatorPage(string code, IQuerySession session, HttpContext http) =>
        IndicatorAsync(code, session, http, (i, o, site) => (Widgets.IndicatorPage(i, o, site, site + http.Request.Path + o.Query()), "text/html; charset=utf-8"));

    [WolverineGet("/embed/indicators/{code}.svg")]
    public static Task<IResult> IndicatorSvg(string code, IQuerySession session, HttpContext http) =>
        IndicatorAsync(code, session, http, (i, o, site) => (Widgets.IndicatorSvg(i, o, site), "image/svg+xml; charset=utf-8"));

    [WolverineGet("/embed/areas/{area}")]
    public static Task<IResult> AreaPage(string area, IQuerySession session, HttpContext http) =>
        AreaAsync(area, session, http, (s, o, site) => (Widgets.AreaPage(s, o, site, site + http.Request.Path + o.Query()), "text/html; charset=utf-8"));

    [WolverineGet("/embed/areas/{area}.svg")]
    public static Task<IResult> AreaSvg(string area, IQuerySession session, HttpContext http) =>
        AreaAsync(area, session, http, (s, o, site) => (Widgets.AreaSvg(s, o, site), "image/svg+xml; charset=utf-8"));

    private static async Task<IResult> IndicatorAsync(string code, IQuerySession session, HttpContext http,
        Func<PublishedIndicator, WidgetOptions, string, (string Body, string Type)> render)
    {
        var options = InLanguage(http);
        var site = Publication.SiteOf(http.Request);
        return await WidgetResponses.ServeAsync(http, options, site, async () =>
                   await PublicPlan.IndicatorAsync(session, code, null, http.RequestAborted) is { } indicator ? render(indicator, options, site) : null)
               ?? NotFound(code);
    }

    private static async Task<IResult> AreaAsync(string area, IQuerySession session, HttpContext http,
        Func<PlanSummary, WidgetOptions, string, (string Body, string Type)> render)
    {
        var options = InLanguage(http);
        var site = Publication.SiteOf(http.Request);
        return await WidgetResponses.ServeAsync(http, options, site, async () =>
                   PlanSummary.AllOf(await PublicPlan.IndicatorsAsync(session, null, http.RequestAborted))
                       .FirstOrDefault(s => string.Equals(s.Id, area, StringComparison.OrdinalIgnoreCase)) is { } summary
                       ? render(summary, options, site) : null)
               ?? NotFound(area);
    }

    /// <summary>The widget's options, with its language in force for the texts it writes.</summary>
    private static WidgetOptions InLanguage(HttpContext http)
    {
        var options = WidgetOptions.From(http.Request.Query);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = options.Culture;
        return options;
    }

    private static IResult NotFound(string what) => Results.Content(
        $"<!DOCTYPE html><meta charset=\"utf-8\"><title>404</title><p>{System.Net.WebUtility.HtmlEncode(what)}: not found / 見つかりません</p>",
        "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
}
