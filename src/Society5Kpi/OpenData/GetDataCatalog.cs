using System.Text;
using Marten;
using Society5Kpi.Indicators;
using Wolverine.Http;

namespace Society5Kpi.OpenData;

public static class GetDataCatalogEndpoint
{
    /// <summary>The DCAT catalogue of the plan's open data, as JSON-LD with addresses on the host the request came to.</summary>
    [WolverineGet("/catalog.jsonld")]
    public static async Task<IResult> Get(IQuerySession session, HttpContext http, CancellationToken ct)
    {
        var catalog = DataCatalog.Of(await PublicPlan.IndicatorsAsync(session, null, ct), Publication.SiteOf(http.Request));
        return Results.Text(catalog.ToJsonString(NgsiLdResponse.Json), NgsiLdResponse.JsonLd, Encoding.UTF8);
    }
}
