using System.Text.RegularExpressions;
using Marten;
using Society5Kpi.Indicators;
using Wolverine.Http;

namespace Society5Kpi.Embeds;

/// <summary>oEmbed 1.0's answer: a rich embed (an iframe and the small resize script) for an indicator or an area.</summary>
public sealed record OEmbedResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("type")] string Type,
    [property: System.Text.Json.Serialization.JsonPropertyName("version")] string Version,
    [property: System.Text.Json.Serialization.JsonPropertyName("title")] string Title,
    [property: System.Text.Json.Serialization.JsonPropertyName("provider_name")] string ProviderName,
    [property: System.Text.Json.Serialization.JsonPropertyName("provider_url")] string ProviderUrl,
    [property: System.Text.Json.Serialization.JsonPropertyName("cache_age")] int CacheAge,
    [property: System.Text.Json.Serialization.JsonPropertyName("html")] string Html,
    [property: System.Text.Json.Serialization.JsonPropertyName("width")] int Width,
    [property: System.Text.Json.Serialization.JsonPropertyName("height")] int Height);

public static partial class OEmbed
{
    public const string ProviderName = "北海道Society5.0 指標ダッシュボード";

    /// <summary>The discovery link a page of this site carries for its embeddable view.</summary>
    public static string DiscoveryLink(string site, string pageUrl) => $"{site}/oembed?url={Uri.EscapeDataString(pageUrl)}&format=json";

    [GeneratedRegex(@"^/(?:embed/)?(?<kind>indicators|areas)/(?<key>[A-Za-z0-9-]+?)(?:\.svg)?/?$")]
    private static partial Regex Embeddable();

    /// <remarks>Per oEmbed 1.0: 404 for a URL there is nothing to embed for, 501 for a format other than JSON.</remarks>
    [WolverineGet("/oembed")]
    public static async Task<IResult> Get(string? url, string? format, string? maxwidth, string? maxheight, IQuerySession session, HttpContext http)
    {
        if (format is { Length: > 0 } && !format.Equals("json", StringComparison.OrdinalIgnoreCase))
            return Results.StatusCode(StatusCodes.Status501NotImplemented);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var page) || Embeddable().Match(page.AbsolutePath) is not { Success: true } match)
            return Results.NotFound();
        var site = OpenData.Publication.SiteOf(http.Request);
        var options = WidgetOptions.From(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(page.Query) is var q ? new QueryCollection(q) : QueryCollection.Empty);
        var key = match.Groups["key"].Value;
        string title;
        bool sparkline;
        if (match.Groups["kind"].Value == "indicators")
        {
            if (await PublicPlan.IndicatorAsync(session, key, null, http.RequestAborted) is not { } indicator) return Results.NotFound();
            title = $"{indicator.Id} {(options.Lang == "en" ? indicator.NameEn : indicator.NameJa)}";
            sparkline = options.Sparkline && indicator.Figures.Count > 1;
        }
        else
        {
            if (!Enum.TryParse<Domain.Area>(key, ignoreCase: true, out var area) && key != Summaries.PlanSummary.WholePlan) return Results.NotFound();
            title = key == Summaries.PlanSummary.WholePlan ? ProviderName : $"{ProviderName}: {area}";
            sparkline = false;
        }
        var (width, height) = options.Box(sparkline);
        // The frame shrinks to the host's limits; the widget inside flows to its width.
        width = Limit(width, maxwidth);
        height = Limit(height, maxheight);
        var src = $"{site}/embed/{match.Groups["kind"].Value}/{key}{options.Query()}";
        var html = $"<iframe src=\"{System.Net.WebUtility.HtmlEncode(src)}\" width=\"{width}\" height=\"{height}\" style=\"border:0;max-width:100%\" " +
                   $"title=\"{System.Net.WebUtility.HtmlEncode(title)}\" loading=\"lazy\"></iframe><script src=\"{site}/embed/resize.js\" async></script>";
        return Results.Json(new OEmbedResponse("rich", "1.0", title, ProviderName, site, CachedResponse.MaxAgeSeconds, html, width, height),
            contentType: "application/json; charset=utf-8");
    }

    private static int Limit(int size, string? max) => int.TryParse(max, out var limit) && limit > 0 ? Math.Min(size, limit) : size;
}
