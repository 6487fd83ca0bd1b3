using System.Globalization;
using System.Text.Json.Nodes;
using Marten;
using Society5Kpi.Indicators;
using Wolverine.Http;

namespace Society5Kpi.OpenData;

/// <summary>
/// A read-only NGSI-LD API (ETSI GS CIM 009) over the published plan: one KeyPerformanceIndicator entity per indicator,
/// and the published history of its value. Read through <see cref="PublicPlan"/>, as every public route is.
/// </summary>
public static class NgsiLdEndpoints
{
    /// <summary>
    /// Query entities. ?type= takes the short name or the full type URI (a comma separates alternatives); another type
    /// matches nothing, and no type lists them all. ?options=keyValues (or simplified) for the simplified form;
    /// ?limit=, ?offset= and ?count=true (the total in NGSILD-Results-Count) page through them.
    /// </summary>
    [WolverineGet("/ngsi-ld/v1/entities")]
    public static async Task<IResult> Query(string? type, string? options, string? limit, string? offset, string? count,
        IQuerySession session, HttpContext http, CancellationToken ct)
    {
        if (NgsiLdResponse.WantsJsonLd(http.Request) is not { } jsonLd) return NgsiLdResponse.NotAcceptable();
        if (!TryCount(limit, out var take) || !TryCount(offset, out var skip))
            return NgsiLdResponse.BadRequestData("limit and offset must be whole numbers of at least 0");

        var ours = type is null || type.Split(',', StringSplitOptions.TrimEntries).Any(KpiEntity.IsOurType);
        var indicators = ours ? await PublicPlan.IndicatorsAsync(session, null, ct) : [];
        if (count == "true") http.Response.Headers["NGSILD-Results-Count"] = indicators.Count.ToString(CultureInfo.InvariantCulture);

        var site = Publication.SiteOf(http.Request);
        var simplified = Simplified(options);
        var page = indicators.Skip(skip ?? 0).Take(take ?? indicators.Count);
        var entities = new JsonArray(page.Select(i => (JsonNode)(simplified ? KpiEntity.Simplified(i, site) : KpiEntity.Normalized(i, site))).ToArray());
        return NgsiLdResponse.Ok(http, entities, jsonLd);
    }

    [WolverineGet("/ngsi-ld/v1/entities/{id}")]
    public static async Task<IResult> Retrieve(string id, string? options, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        if (NgsiLdResponse.WantsJsonLd(http.Request) is not { } jsonLd) return NgsiLdResponse.NotAcceptable();
        var (indicator, problem) = await FindAsync(id, session, ct);
        if (indicator is null) return problem!;
        var site = Publication.SiteOf(http.Request);
        return NgsiLdResponse.Ok(http, Simplified(options) ? KpiEntity.Simplified(indicator, site) : KpiEntity.Normalized(indicator, site), jsonLd);
    }

    /// <summary>
    /// The published history of kpiValue: every approved figure, oldest first, optionally within ?timerel= before / after
    /// / between ?timeAt= (and ?endTimeAt=), or the last ?lastN=. ?options=temporalValues for [[value, observedAt], …].
    /// </summary>
    [WolverineGet("/ngsi-ld/v1/temporal/entities/{id}")]
    public static async Task<IResult> RetrieveTemporal(string id, string? options, string? timerel, string? timeAt, string? endTimeAt,
        string? lastN, IQuerySession session, HttpContext http, CancellationToken ct)
    {
        if (NgsiLdResponse.WantsJsonLd(http.Request) is not { } jsonLd) return NgsiLdResponse.NotAcceptable();
        var (query, invalid) = TemporalQuery.Parse(timerel, timeAt, endTimeAt, lastN);
        if (query is null) return NgsiLdResponse.BadRequestData(invalid!);
        var (indicator, problem) = await FindAsync(id, session, ct);
        if (indicator is null) return problem!;
        var figures = query.Select(indicator.Figures);
        var temporalValues = Options(options).Contains("temporalValues");
        return NgsiLdResponse.Ok(http, temporalValues ? KpiEntity.TemporalValues(indicator, figures) : KpiEntity.Temporal(indicator, figures), jsonLd);
    }

    /// <summary>The indicator an entity id names; a 400 for an id that is not a URI, a 404 for one that names none.</summary>
    private static async Task<(PublishedIndicator? Indicator, IResult? Problem)> FindAsync(string id, IQuerySession session, CancellationToken ct)
    {
        if (!Uri.TryCreate(id, UriKind.Absolute, out _)) return (null, NgsiLdResponse.BadRequestData($"{id} is not a URI"));
        return KpiEntity.CodeOf(id) is { } code && await PublicPlan.IndicatorAsync(session, code, null, ct) is { } indicator
            ? (indicator, null)
            : (null, NgsiLdResponse.NotFound(id));
    }

    private static string[] Options(string? options) => options?.Split(',', StringSplitOptions.TrimEntries) ?? [];

    private static bool Simplified(string? options) => Options(options).Any(o => o is "keyValues" or "simplified");

    private static bool TryCount(string? text, out int? value)
    {
        value = null;
        if (text is null) return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return false;
        value = n;
        return true;
    }
}
