using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace Society5Kpi.Drill;

/// <summary>
/// The running app as the fuzzing and corrections checks see it: its services (for the routing table), its database
/// (to count what was written), clients that talk to it over HTTP, and the session cookie of each staff member.
/// The drill hosts it on Kestrel (<see cref="AppOnKestrel"/>); the xunit specifications hand in their Alba host.
/// </summary>
public sealed record TargetApp(IServiceProvider Services, string ConnectionString, Func<HttpClient> NewClient, IReadOnlyDictionary<string, string> Sessions)
{
    /// <summary>The staff the checks act as, one per role (the same names as the specifications' test users).</summary>
    public static readonly (string User, string Role)[] Staff =
    [
        ("sato", Accounts.Roles.Editor), ("tanaka", Accounts.Roles.Reviewer), ("admin", Accounts.Roles.Administrator), ("iin", Accounts.Roles.Council)
    ];

    public const string Editor = "sato";
    public const string Reviewer = "tanaka";
    public const string Administrator = "admin";

    /// <summary>Signs each staff member in through POST /api/session and keeps the session cookie.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> SignInAsync(Func<HttpClient> newClient, string password)
    {
        var sessions = new Dictionary<string, string>();
        foreach (var (user, _) in Staff)
        {
            using var http = newClient();
            using var answer = await http.PostAsJsonAsync("/api/session", new { userName = user, password });
            answer.EnsureSuccessStatusCode();
            sessions[user] = answer.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith("s5k.session="));
        }
        return sessions;
    }

    /// <summary>A request as this staff member (null: anonymous).</summary>
    public HttpRequestMessage Request(HttpMethod method, string url, string? user)
    {
        var request = new HttpRequestMessage(method, url);
        if (user is not null) request.Headers.TryAddWithoutValidation("Cookie", Sessions[user]);
        return request;
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}

/// <summary>
/// What the store holds, in a few numbers per table: events, streams and every document table (count, and the latest
/// change). Two equal fingerprints mean nothing was appended, inserted, updated or deleted in between.
/// </summary>
public sealed class StoreFingerprint(TargetApp app)
{
    private string? _query;

    public async Task<string> TakeAsync()
    {
        await using var connection = await app.OpenAsync();
        _query ??= await QueryAsync(connection);
        await using var command = new NpgsqlCommand(_query, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var text = new StringBuilder();
        while (await reader.ReadAsync()) text.Append(reader.GetString(0)).Append(';');
        return text.ToString();
    }

    /// <summary>Waits until nothing changes any more (the async daemon and the forwarded-event handlers catch up after a write).</summary>
    public async Task<string> SettleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = await TakeAsync();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(150);
            var now = await TakeAsync();
            if (now == last) return now;
            last = now;
        }
        return last;
    }

    // Every document table, whatever documents the app has today, so that a new one is covered without a change here.
    private static async Task<string> QueryAsync(NpgsqlConnection connection)
    {
        await using var tables = new NpgsqlCommand(
            "select table_name from information_schema.tables where table_schema = 'society5kpi' and table_type = 'BASE TABLE' " +
            "and table_name like 'mt\\_doc\\_%' order by 1", connection);
        var parts = new List<string>
        {
            "select 'events ' || count(*) || ' ' || coalesce(max(seq_id), 0) from society5kpi.mt_events",
            "select 'streams ' || count(*) || ' ' || coalesce(sum(version), 0) from society5kpi.mt_streams"
        };
        await using var reader = await tables.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var table = reader.GetString(0);
            parts.Add($"select '{table} ' || count(*) || ' ' || coalesce(max(mt_last_modified)::text, '-') || ' ' || " +
                      $"coalesce(sum(hashtext(mt_version::text)), 0) from society5kpi.{table}");
        }
        return $"select part from ({string.Join(" union all ", parts.Select(p => $"({p})"))}) as parts(part) order by 1";
    }
}
