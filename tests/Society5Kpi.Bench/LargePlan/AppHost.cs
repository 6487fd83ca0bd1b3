using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Society5Kpi.Bench.LargePlan;

/// <summary>
/// The app (its own AddSociety5Kpi/UseSociety5Kpi, as Program.cs builds it) served by Kestrel on a free loopback port
/// inside the benchmark's process: real sockets and HTTP, the project folder as content root (its wwwroot).
/// </summary>
public sealed class AppHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AppHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<AppHost> StartAsync(string repositoryRoot, string connectionString)
    {
        var port = FreePort();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // The app's name finds its static web assets manifest and its Razor components, as when it runs itself.
            ApplicationName = typeof(Society5KpiSetup).Assembly.GetName().Name,
            ContentRootPath = Path.Combine(repositoryRoot, "src", "Society5Kpi"),
            EnvironmentName = "Production"
        });
        builder.Configuration["ConnectionStrings:Marten"] = connectionString;
        builder.Configuration["Seeds:Directory"] = Path.Combine(repositoryRoot, "seeds");
        // The pages are measured, not the public rate limiter's 429s.
        builder.Configuration["RateLimiting:Enabled"] = "false";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.AddSociety5Kpi();
        var app = builder.Build();
        app.UseSociety5Kpi();
        await app.StartAsync();
        return new AppHost(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    /// <summary>Peak resident memory of this process (the app and the benchmark's client), in MiB.</summary>
    public static long PeakMemoryMiB()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
