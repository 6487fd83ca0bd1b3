using Npgsql;
using Society5Kpi.Infrastructure;

namespace Society5Kpi.Bench.LargePlan;

/// <summary>A database of its own on the suite's throw-away cluster, holding a generated plan.</summary>
public static class ScaleDatabase
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string SeedsDirectory => Path.Combine(RepositoryRoot, "seeds");

    /// <summary>A throw-away cluster of the suite's own (LocalPostgres, removed on dispose).</summary>
    public static Task<LocalPostgres> StartPostgresAsync() =>
        LocalPostgres.StartAsync(Path.Combine(Path.GetTempPath(), $"largeplan-pg-{Guid.NewGuid():N}"), removeOnStop: true);

    /// <summary>Creates database <paramref name="name"/>, loads the plan of <paramref name="size"/> into it; returns its connection string and the load's report.</summary>
    public static async Task<(string ConnectionString, LoadReport Load)> CreateAsync(LocalPostgres postgres, string name, LargePlanSize size, TextWriter log)
    {
        await LargePlanLoader.ExecuteAsync(postgres.ConnectionString, $"create database {name}");
        var connectionString = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = name }.ConnectionString;
        // No command timeout for the loader: the end of a COPY of millions of rows waits for PostgreSQL to catch up.
        await using var app = AppStore.Open(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString, SeedsDirectory);
        var plan = new LargePlanGenerator(size, JapanMunicipalities.Take(size.Municipalities, SeedsDirectory));
        log.WriteLine($"  loading {size} into {name}");
        var load = await LargePlanLoader.LoadAsync(app.Store, connectionString, plan, log);
        return (connectionString, load);
    }

    /// <summary>Scale factor from the environment (e.g. S5K_PAGES_LARGE=0.3), else <paramref name="fallback"/>.</summary>
    public static double Factor(string variable, double fallback) =>
        double.TryParse(Environment.GetEnvironmentVariable(variable), System.Globalization.CultureInfo.InvariantCulture, out var f) ? f : fallback;

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Society5Kpi.sln"))) return dir.FullName;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Society5Kpi.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run from inside the repository (Society5Kpi.sln not found).");
    }
}
