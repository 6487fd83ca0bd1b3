using Npgsql;

namespace Society5Kpi.Drill.Support;

/// <summary>A MeasurementRecorded event as the event store holds it (mt_events), read with plain SQL.</summary>
public sealed record StoredFigure(long Sequence, string Indicator, Guid MeasurementId, string Period, string AsOf, decimal Value, string? Note);

/// <summary>Who holds an advisory lock, from pg_locks joined to pg_stat_activity.</summary>
public sealed record AdvisoryLock(long LockId, string ApplicationName, int Pid);

/// <summary>
/// What the drills check, read straight from PostgreSQL (society5kpi.mt_events, mt_event_progression, pg_locks),
/// never from the app's own answers.
/// </summary>
public static class EventStore
{
    /// <summary>The async projection whose progress the drills follow (one line per event: the history view).</summary>
    public static readonly string TimelineShardPrefix = typeof(Society5Kpi.Indicators.Timeline.IndicatorTimelineProjection).FullName + ":";

    /// <summary>Every recorded figure whose source is <paramref name="source"/> (each drill marks its own).</summary>
    public static async Task<IReadOnlyList<StoredFigure>> FiguresAsync(string connectionString, string source)
    {
        const string sql = """
            select seq_id, stream_id, data->>'MeasurementId', data->>'Period', data->>'AsOf', (data->>'Value')::numeric, data->>'Note'
            from society5kpi.mt_events
            where type = 'measurement_recorded' and data->>'Source' = @source
            order by seq_id
            """;
        var figures = new List<StoredFigure>();
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new("source", source) } };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            figures.Add(new StoredFigure(reader.GetInt64(0), reader.GetString(1), Guid.Parse(reader.GetString(2)), reader.GetString(3),
                reader.GetString(4), reader.GetDecimal(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        return figures;
    }

    public static Task<long> CountFiguresAsync(string connectionString, string source) => ScalarAsync(connectionString,
        "select count(*) from society5kpi.mt_events where type = 'measurement_recorded' and data->>'Source' = @source", ("source", source));

    public static Task<long> HighestSequenceAsync(string connectionString) =>
        ScalarAsync(connectionString, "select coalesce(max(seq_id), 0) from society5kpi.mt_events");

    /// <summary>How far the async daemon has brought the history view (its shard's last_seq_id in mt_event_progression).</summary>
    public static Task<long> TimelineProgressAsync(string connectionString) => ScalarAsync(connectionString,
        "select coalesce(max(last_seq_id), 0) from society5kpi.mt_event_progression where name like @prefix || '%'",
        ("prefix", TimelineShardPrefix));

    /// <summary>Events of <paramref name="source"/>'s figures that have no line in the history view (by the event's sequence).</summary>
    public static Task<long> FiguresMissingFromTimelineAsync(string connectionString, string source) => ScalarAsync(connectionString, """
        select count(*) from society5kpi.mt_events e
        where e.type = 'measurement_recorded' and e.data->>'Source' = @source
          and not exists (select 1 from society5kpi.mt_doc_indicatortimelineentry t where (t.data->>'Sequence')::bigint = e.seq_id)
        """, ("source", source));

    /// <summary>Advisory locks held right now by sessions whose application_name is one of <paramref name="applications"/>.</summary>
    public static async Task<IReadOnlyList<AdvisoryLock>> AdvisoryLocksAsync(string connectionString, params string[] applications)
    {
        const string sql = """
            select (l.classid::bigint << 32) | l.objid::bigint, a.application_name, a.pid
            from pg_locks l join pg_stat_activity a on a.pid = l.pid
            where l.locktype = 'advisory' and l.granted and a.application_name = any(@applications)
            """;
        var locks = new List<AdvisoryLock>();
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new("applications", applications) } };
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) locks.Add(new AdvisoryLock(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
        return locks;
    }

    /// <summary>Seconds between the commits of two events (mt_events.timestamp), as PostgreSQL's clock saw them.</summary>
    public static async Task<double> SecondsBetweenAsync(string connectionString, long fromSequence, long toSequence)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand("""
            select extract(epoch from (select timestamp from society5kpi.mt_events where seq_id = @to)
                                    - (select timestamp from society5kpi.mt_events where seq_id = @from))::float8
            """, connection) { Parameters = { new("from", fromSequence), new("to", toSequence) } };
        return (double)(await command.ExecuteScalarAsync())!;
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await OpenAsync(connectionString);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        // Its own name, so that the drill's reads are never mistaken for a node's sessions; no pooling across a restart.
        var connection = new NpgsqlConnection(AppProcess.ConnectionFor(connectionString, "drill-check") + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }
}
