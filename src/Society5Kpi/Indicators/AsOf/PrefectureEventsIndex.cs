using Marten;

namespace Society5Kpi.Indicators.AsOf;

/// <summary>
/// A partial index on the events table over the events that are not a municipality's figure: the as-of fold of an
/// indicator reads these, and a breakdown indicator's stream is otherwise nearly all municipal figures
/// (1,741 municipalities × 40 quarters for one indicator of a national plan). Created at start, after Marten's own tables.
/// </summary>
public sealed class PrefectureEventsIndex(IDocumentStore store) : IHostedService
{
    /// <summary>The condition the fold's query and the index share: the planner uses the index only when they match.</summary>
    public const string Predicate = "(data ->> 'MunicipalityCode') is null";

    public async Task StartAsync(CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var session = store.LightweightSession();
        session.QueueSqlCommand(
            $"create index if not exists mt_events_prefecture on {schema}.mt_events (stream_id, seq_id) where {Predicate}");
        await session.SaveChangesAsync(ct);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
