using Marten;
using Wolverine.Http;

namespace Society5Kpi.Indicators.Listing;

public static class GetIndicatorsEndpoint
{
    [WolverineGet("/api/indicators")]
    public static Task<IReadOnlyList<IndicatorProgress>> Get(IQuerySession session, CancellationToken ct) =>
        session.Query<IndicatorProgress>().OrderBy(i => i.Id).ToListAsync(ct);

    [WolverineGet("/api/indicators/{code}")]
    public static Task<IndicatorProgress?> GetOne(string code, IQuerySession session, CancellationToken ct) =>
        session.LoadAsync<IndicatorProgress>(code, ct);
}
