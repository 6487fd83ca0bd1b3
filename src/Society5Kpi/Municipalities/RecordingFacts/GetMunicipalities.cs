using Marten;
using Society5Kpi.Indicators.Listing;
using Society5Kpi.Municipalities.Registering;
using Wolverine.Http;

namespace Society5Kpi.Municipalities.RecordingFacts;

public static class GetMunicipalitiesEndpoint
{
    [WolverineGet("/api/municipalities")]
    public static async Task<IReadOnlyList<Municipality>> Get(IQuerySession session, CancellationToken ct) =>
        await session.Query<Municipality>().OrderBy(m => m.Id).ToListAsync(ct);

    /// <summary>The stored counts, or with ?asOf=YYYY-MM-DD the counts of the facts dated by then.</summary>
    [WolverineGet("/api/municipalities/counts")]
    public static async Task<MunicipalityCounts> GetCounts(string? asOf, IQuerySession session, CancellationToken ct)
    {
        var day = AsOfDate.Parse(asOf);
        var stored = day is null ? await session.LoadAsync<MunicipalityCounts>(MunicipalityCounts.StoredId, ct) : null;
        // Computed when asked for a date, or before the first municipality event has been counted.
        return stored ?? MunicipalityCounts.Of(await session.Query<Municipality>().ToListAsync(ct), day);
    }
}
