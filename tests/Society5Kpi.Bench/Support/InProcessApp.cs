using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Society5Kpi.Accounts;
using Society5Kpi.Seeds;

namespace Society5Kpi.Bench.Support;

/// <summary>
/// The application in this process, built with the app's own AddSociety5Kpi/UseSociety5Kpi and served by Kestrel on a
/// free loopback port: real sockets, so a request costs what it costs a browser or wrk. Used where a suite also needs
/// the app's store in-process (the direct-append baseline, fast preloading).
/// </summary>
public sealed class InProcessApp : IAsyncDisposable
{
    private InProcessApp(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
    }

    public WebApplication App { get; }
    public IServiceProvider Services => App.Services;
    public Uri BaseAddress { get; }

    /// <param name="settings">Configuration on top of the connection string (e.g. RateLimiting:Enabled).</param>
    /// <param name="beforeEndpoints">Extra middleware after the app's own (the static baseline of the widget suite).</param>
    public static async Task<InProcessApp> StartAsync(string connectionString, IDictionary<string, string?>? settings = null,
        Action<WebApplication>? beforeEndpoints = null)
    {
        var port = FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The app's name finds its static-assets manifest (Society5Kpi.staticwebassets.endpoints.json) beside this assembly.
            ApplicationName = "Society5Kpi",
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = "Production"
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Marten"] = connectionString,
            ["Seeds:Directory"] = Repository.SeedsDirectory,
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Logging:LogLevel:Default"] = "Warning"
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddSociety5Kpi();
        var app = builder.Build();
        app.UseSociety5Kpi();
        beforeEndpoints?.Invoke(app);
        await app.StartAsync();
        return new InProcessApp(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Imports seeds/ as `ops/run` does on a first start: the real plan, 8,000-odd events.</summary>
    public async Task ImportSeedsAsync()
    {
        using var scope = Services.CreateScope();
        var report = await scope.ServiceProvider.GetRequiredService<SeedImporter>().ImportAsync(Repository.SeedsDirectory);
        if (!report.Succeeded) throw new InvalidOperationException(string.Join("\n", report.Errors));
    }

    /// <summary>Creates a local account and signs it in through POST /api/session; returns the session cookie.</summary>
    public async Task<string> SignInAsync(string userName, string role)
    {
        const string password = "bench password 1234";
        await Services.GetRequiredService<UserAccounts>().SaveAsync(new CreateAccount(userName, userName, [role], password));
        return await Session.SignInAsync(BaseAddress, userName, password);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
