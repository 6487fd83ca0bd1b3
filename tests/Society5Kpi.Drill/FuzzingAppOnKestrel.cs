using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Society5Kpi.Accounts;
using Society5Kpi.Infrastructure;
using Society5Kpi.Seeds;

namespace Society5Kpi.Drill;

/// <summary>
/// The app as Program builds it (its AddSociety5Kpi and UseSociety5Kpi), served by Kestrel on a free loopback port, on a throw-away PostgreSQL, with the seeded
/// plan and one signed-in account per role. Hosted in this process (so the drills can read its routing table), but every
/// request goes through real sockets and Kestrel's own parsing. The public rate limit is off (as for the load
/// benchmarks): thousands of requests from one address would otherwise be answered 429 after the first 300.
/// </summary>
public sealed class AppOnKestrel : IAsyncDisposable
{
    public const string Password = "drill password 4 staff";

    private LocalPostgres? _postgres;
    private WebApplication? _app;

    public TargetApp Target { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    public static async Task<AppOnKestrel> StartAsync(TextWriter log)
    {
        var app = new AppOnKestrel();
        try
        {
            await app.StartInternalAsync(log);
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    private async Task StartInternalAsync(TextWriter log)
    {
        _postgres = await LocalPostgres.StartTemporaryAsync();
        // Settings as an operator gives them (environment variables), read when the builder is made.
        Environment.SetEnvironmentVariable("ConnectionStrings__Marten", _postgres.ConnectionString);
        Environment.SetEnvironmentVariable("RateLimiting__Enabled", "false");
        Environment.SetEnvironmentVariable("Seeds__Directory", Path.Combine(RepositoryRoot, "seeds"));
        // Built as Program builds it (AddSociety5Kpi, UseSociety5Kpi), as the app itself and from its own folder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Society5KpiSetup).Assembly.GetName().Name,
            ContentRootPath = Path.Combine(RepositoryRoot, "src", "Society5Kpi"),
            EnvironmentName = "Production"
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        // Quiet: thousands of refused requests are logged as failed handler invocations; the drills report what matters.
        builder.Logging.ClearProviders();
        builder.AddSociety5Kpi();
        _app = builder.Build();
        _app.UseSociety5Kpi();
        await _app.StartAsync();
        var services = _app.Services;
        BaseAddress = new Uri(_app.Urls.First());
        log.WriteLine($"   app on {BaseAddress}, PostgreSQL on port {_postgres.Port}");

        if (await SeedCommandLine.ImportAsync(services, log) != 0) throw new InvalidOperationException("the seeds did not import");
        var accounts = services.GetRequiredService<UserAccounts>();
        foreach (var (user, role) in TargetApp.Staff) await accounts.SaveAsync(new CreateAccount(user, user, [role], Password));

        HttpClient NewClient() => new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60)
        };
        Target = new TargetApp(services, _postgres.ConnectionString, NewClient, await TargetApp.SignInAsync(NewClient, Password));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Environment.SetEnvironmentVariable("ConnectionStrings__Marten", null);
        if (_postgres is not null) await _postgres.DisposeAsync();
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Society5Kpi.sln"))) return dir.FullName;
        throw new InvalidOperationException("Society5Kpi.sln not found above " + AppContext.BaseDirectory);
    }
}
