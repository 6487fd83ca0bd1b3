using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Society5Kpi.Bench.LargePlan;

/// <summary>
/// The app's own document store (the app's AddSociety5Kpi configuration: schema, projections, serializer) on a given
/// database, without starting the app: no Kestrel, no daemon, no Wolverine runtime. The generator writes through it.
/// </summary>
public sealed class AppStore : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AppStore(WebApplication app) => _app = app;

    public IDocumentStore Store => _app.Services.GetRequiredService<IDocumentStore>();

    public IServiceProvider Services => _app.Services;

    public static AppStore Open(string connectionString, string seedsDirectory)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["ConnectionStrings:Marten"] = connectionString;
        builder.Configuration["Seeds:Directory"] = seedsDirectory;
        builder.Logging.ClearProviders();
        builder.AddSociety5Kpi();
        return new AppStore(builder.Build());
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
