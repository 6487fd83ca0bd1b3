using Marten;
using Microsoft.Extensions.Caching.Memory;
using Society5Kpi.Municipalities.Registering;

namespace Society5Kpi.Indicators;

/// <summary>
/// The public view of an indicator is a function of its stream's events, so it is computed once per state of the
/// stream and kept: keyed by the id of the stream's latest event (a random id, so a restored or rebuilt database
/// never meets a stale entry) and the day asked for. A page then costs one index lookup per indicator instead of a
/// fold of every figure, however many events the plan holds. What is kept is only ever the published view.
/// </summary>
public static class PublishedViews
{
    // Bounded: a crawler walking every past day must not grow the process without end.
    private static readonly MemoryCache Views = new(new MemoryCacheOptions { SizeLimit = 4_000 });

    /// <summary>Each indicator's code with its stream's latest event: what its public view depends on.</summary>
    public static async Task<IReadOnlyDictionary<string, Guid>> StatesAsync(IQuerySession session, string? code, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var indicators = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(IndicatorProgress)).TableName.QualifiedName;
        // The stream's latest event sits at its version: a lookup in the (stream_id, version) index per indicator.
        var sql = $"select s.id || ' ' || e.id::text from {schema}.mt_streams s " +
                  $"join {schema}.mt_events e on e.stream_id = s.id and e.version = s.version " +
                  $"join {indicators} d on d.id = s.id";
        var rows = code is null
            ? await session.AdvancedSql.QueryAsync<string>(sql, ct)
            : await session.AdvancedSql.QueryAsync<string>(sql + " where s.id = ?", ct, code);
        return rows.Select(r => r.Split(' ')).ToDictionary(r => r[0], r => Guid.Parse(r[1]));
    }

    /// <summary>What the breakdown adds to an indicator's stream: the municipalities' names and count.</summary>
    public static async Task<string> MunicipalitiesStateAsync(IQuerySession session, CancellationToken ct)
    {
        var table = session.DocumentStore.Options.FindOrResolveDocumentType(typeof(Municipality)).TableName.QualifiedName;
        return (await session.AdvancedSql.QueryAsync<string>(
            $"select count(*)::text || ' ' || coalesce(max(mt_last_modified)::text, '') from {table}", ct)).Single();
    }

    public static bool TryGet<T>(object key, out T? view) => Views.TryGetValue(key, out view);

    public static T Keep<T>(object key, T view) =>
        Views.Set(key, view, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) });
}
