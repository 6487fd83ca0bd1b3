using Society5Kpi;
using Society5Kpi.Infrastructure;
using Society5Kpi.Seeds;

// With no connection string configured, run our own PostgreSQL (see LocalPostgres) for the app's lifetime.
var builder = WebApplication.CreateBuilder(args);
await using var localPostgres = await Database.StartLocalUnlessConfiguredAsync(builder.Configuration);

builder.AddSociety5Kpi();
var app = builder.Build();
app.UseSociety5Kpi();

if (args.FirstOrDefault() == "user")
{
    await app.StartAsync();
    var result = await Society5Kpi.Accounts.AccountCommandLine.RunAsync(args, app.Services, Console.Out);
    await app.StopAsync();
    return result;
}

if (args.FirstOrDefault() == "rebuild")
{
    await app.StartAsync();
    await app.Services.GetRequiredService<Society5Kpi.Rebuilding.ReadModelRebuild>()
        .RunAsync(new Society5Kpi.Rebuilding.LineProgress(Console.Out));
    await app.StopAsync();
    return 0;
}

if (args.FirstOrDefault() == "import")
{
    await app.StartAsync();
    var exitCode = await SeedCommandLine.ImportAsync(app.Services, Console.Out);
    await app.StopAsync();
    return exitCode;
}

if (app.Configuration.GetValue<bool>("Seeds:ImportOnStart"))
{
    await app.StartAsync();
    if (await SeedCommandLine.ImportAsync(app.Services, Console.Out) != 0) { await app.StopAsync(); return 1; }
    Console.WriteLine($"Society5Kpi is serving on {string.Join(", ", app.Urls)}  (Ctrl-C stops it)");
    await app.WaitForShutdownAsync();
    return 0;
}

await app.RunAsync();
return 0;

public partial class Program;
