using Society5Kpi;
using Society5Kpi.Accounts;
using Society5Kpi.Infrastructure;
using Society5Kpi.Rebuilding;
using Society5Kpi.Seeds;

// With no connection string configured, run our own PostgreSQL (see LocalPostgres) for the app's lifetime.
var builder = WebApplication.CreateBuilder(args);
await using var localPostgres = await Database.StartLocalUnlessConfiguredAsync(builder.Configuration);

// Verbs run against the started app (its store and handlers) and exit; without one, the app serves.
Func<IServiceProvider, Task<int>>? verb = args.FirstOrDefault() switch
{
    "import" => services => SeedCommandLine.ImportAsync(services, Console.Out),
    "user" => services => AccountCommandLine.RunAsync(args, services, Console.Out),
    "rebuild" => async services =>
    {
        await services.GetRequiredService<ReadModelRebuild>().RunAsync(new LineProgress(Console.Out));
        return 0;
    },
    _ => null
};

// A verb runs beside the serving nodes on the same database: it must never start a second projection daemon.
var codegen = args.FirstOrDefault() == "codegen";
builder.AddSociety5Kpi(runsAVerb: verb is not null || codegen);
var app = builder.Build();
app.UseSociety5Kpi();

// JasperFx's own commands (`codegen write` pre-generates the handlers' code; `codegen test` checks it compiles).
if (codegen) return await JasperFx.CommandLineHostingExtensions.RunJasperFxCommands(app, args);

try
{
    await app.StartAsync();
}
catch (IOException e)
{
    Console.Error.WriteLine($"Society5Kpi could not start listening ({app.Configuration["urls"]}): {e.Message} Choose another port with --port N.");
    return 1;
}

if (verb is not null)
{
    var exitCode = await verb(app.Services);
    await app.StopAsync();
    return exitCode;
}

if (app.Configuration.GetValue<bool>("Seeds:ImportOnStart"))
{
    if (await SeedCommandLine.ImportAsync(app.Services, Console.Out) != 0)
    {
        await app.StopAsync();
        return 1;
    }
    app.Services.GetRequiredService<SeedReadiness>().MarkReady();
}
Console.WriteLine($"Society5Kpi is serving on {string.Join(", ", app.Urls)}  (Ctrl-C stops it)");
await app.WaitForShutdownAsync();
return 0;

public partial class Program;
