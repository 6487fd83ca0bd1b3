using Alba;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Society5Kpi.Infrastructure;
using Society5Kpi.Seeds;
using Wolverine;

namespace Society5Kpi.Tests.Support;

/// <summary>
/// The application on a real PostgreSQL: a throw-away cluster started for the test run (or the server
/// named by ConnectionStrings__Marten), and the app hosted in memory by Alba.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private LocalPostgres? _postgres;

    public IAlbaHost Host { get; private set; } = null!;
    public TestClock Clock { get; } = new();
    public string ConnectionString { get; private set; } = "";
    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string SeedsDirectory => Path.Combine(RepositoryRoot, "seeds");

    /// <summary>The one fixture of the run (xunit shares it through the collection), for theory data.</summary>
    public static AppFixture Current { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Current = this;
        ConnectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Marten") ?? "";
        if (ConnectionString.Length == 0)
        {
            _postgres = await LocalPostgres.StartTemporaryAsync();
            ConnectionString = _postgres.ConnectionString;
            // Read by Program before the host is built; the app then uses this cluster and starts none of its own.
            Environment.SetEnvironmentVariable("ConnectionStrings__Marten", ConnectionString);
        }
        try
        {
            Host = await AlbaHost.For<Program>(web =>
            {
                web.UseSetting("Seeds:Directory", SeedsDirectory);
                // One node in the tests: the daemon runs at once, with no leader election to wait for. Not Marten's
                // MartenDaemonModeIsSolo(): its coordinator disposes the daemons on PauseAsync and ResumeAsync starts none,
                // so every seed restore after the first would wait for projections that never run.
                web.UseSetting("Projections:Daemon", "Solo");
                web.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
            });
            await TestUsers.SignInAllAsync(Host, Host.Services.GetRequiredService<Society5Kpi.Accounts.UserAccounts>());
        }
        catch
        {
            // xunit does not dispose a fixture whose start failed: leave no cluster running.
            await DisposePostgresAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await DisposePostgresAsync();
    }

    private async Task DisposePostgresAsync()
    {
        if (_postgres is null) return;
        Environment.SetEnvironmentVariable("ConnectionStrings__Marten", null);
        await _postgres.DisposeAsync();
    }

    public async Task<SeedImportReport> ImportSeedsAsync(string? directory = null)
    {
        using var scope = Host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SeedImporter>().ImportAsync(directory ?? SeedsDirectory);
    }

    /// <summary>
    /// Stops the async daemon, wipes events and documents, restarts it: a clean store for each specification. The test
    /// users' accounts are put back as they were, so their sessions (checked against the account's stamp) stay valid.
    /// </summary>
    public async Task ResetAsync()
    {
        await using (var query = Store.QuerySession())
            _accounts ??= (await query.Query<Society5Kpi.Accounts.UserAccount>().ToListAsync()).ToArray();
        await Host.ResetAllMartenDataAsync();
        await using var session = Store.LightweightSession();
        session.Store(_accounts);
        await session.SaveChangesAsync();
    }

    private Society5Kpi.Accounts.UserAccount[]? _accounts;

    private const string SnapshotSchema = "s5k_seeded";
    private string[]? _snapshotTables;
    private long _snapshotSequence;

    /// <summary>
    /// A store holding exactly the seeded plan, as after <c>ResetAsync</c> and <c>ImportSeedsAsync</c>. The seeds are
    /// imported once per run; every later call copies the tables back as they were then (the daemon paused meanwhile),
    /// which takes a fraction of a second instead of an import of 8,000 figures.
    /// </summary>
    public async Task RestoreSeedsAsync()
    {
        var coordinator = Host.Services.GetRequiredService<JasperFx.Events.Daemon.IProjectionCoordinator>();
        if (_snapshotTables is null)
        {
            await ResetAsync();
            var report = await ImportSeedsAsync();
            if (!report.Succeeded) throw new InvalidOperationException(string.Join("\n", report.Errors));
            await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
            await Eventually.Get(async () =>
            {
                await using var session = Store.QuerySession();
                return await session.LoadAsync<Society5Kpi.Municipalities.RecordingFacts.MunicipalityCounts>(
                    Society5Kpi.Municipalities.RecordingFacts.MunicipalityCounts.StoredId);
            }, c => c?.Registered == 179, "the municipality counts after the seeds");
            await coordinator.PauseAsync();
            await using (var connection = await OpenAsync())
            {
                var tables = await MartenTablesAsync(connection);
                await ExecuteAsync(connection, $"drop schema if exists {SnapshotSchema} cascade; create schema {SnapshotSchema};" +
                    string.Concat(tables.Select(t => $"create table {SnapshotSchema}.{t} as table society5kpi.{t};")));
                await using var sequence = new Npgsql.NpgsqlCommand("select last_value from society5kpi.mt_events_sequence", connection);
                _snapshotSequence = (long)(await sequence.ExecuteScalarAsync())!;
                _snapshotTables = tables;
            }
            await coordinator.ResumeAsync();
            return;
        }

        await coordinator.PauseAsync();
        await using (var connection = await OpenAsync())
        {
            var tables = await MartenTablesAsync(connection);
            await ExecuteAsync(connection, "begin;" +
                $"truncate {string.Join(", ", tables.Select(t => "society5kpi." + t))};" +
                // Streams before their events (a foreign key).
                string.Concat(_snapshotTables.Where(tables.Contains).OrderBy(t => t == "mt_streams" ? 0 : 1)
                    .Select(t => $"insert into society5kpi.{t} select * from {SnapshotSchema}.{t};")) +
                $"select setval('society5kpi.mt_events_sequence', {_snapshotSequence});" +
                "commit;");
        }
        // Copied back behind the app's back, like a restored backup: nothing kept from before may be served.
        Society5Kpi.Infrastructure.StoreCommits.ChangedElsewhere();
        await coordinator.ResumeAsync();
    }

    private async Task<Npgsql.NpgsqlConnection> OpenAsync()
    {
        var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<string[]> MartenTablesAsync(Npgsql.NpgsqlConnection connection)
    {
        await using var query = new Npgsql.NpgsqlCommand(
            "select table_name from information_schema.tables where table_schema = 'society5kpi' and table_type = 'BASE TABLE' and table_name like 'mt\\_%' order by 1",
            connection);
        var tables = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return tables.ToArray();
    }

    private static async Task ExecuteAsync(Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>All events in the store, oldest first.</summary>
    public async Task<IReadOnlyList<JasperFx.Events.IEvent>> AllEventsAsync()
    {
        await using var session = Store.QuerySession();
        return await session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Society5Kpi.sln"))) return dir.FullName;
        throw new InvalidOperationException("Society5Kpi.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app on PostgreSQL";
}

/// <summary>Base of the specifications that run against the app: each starts from an empty store.</summary>
[Collection(AppCollection.Name)]
public abstract class AppSpecification(AppFixture app) : IAsyncLifetime
{
    protected AppFixture App { get; } = app;
    protected IAlbaHost Host => App.Host;

    /// <summary>Specifications that start from the seeded plan (most of them) say so; the others start from an empty store.</summary>
    protected virtual bool StartsFromTheSeededPlan => false;

    public virtual Task InitializeAsync()
    {
        App.Clock.Now = null;
        return StartsFromTheSeededPlan ? App.RestoreSeedsAsync() : App.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
