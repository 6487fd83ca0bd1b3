using Alba;
using Marten;
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
            Host = await AlbaHost.For<Program>(web => web.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock)));
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

    public virtual Task InitializeAsync()
    {
        App.Clock.Now = null;
        return App.ResetAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
