namespace Society5Kpi.Infrastructure;

public static class Database
{
    /// <summary>
    /// ConnectionStrings:Marten (or the environment variable ConnectionStrings__Marten) names a server to use.
    /// Without it, start the project's own cluster in Database:DataDirectory (default .data/) and point the
    /// configuration at it; the returned handle stops it again.
    /// </summary>
    public static async Task<LocalPostgres?> StartLocalUnlessConfiguredAsync(ConfigurationManager configuration)
    {
        if (!string.IsNullOrWhiteSpace(configuration.GetConnectionString("Marten"))) return null;
        var dataDirectory = configuration["Database:DataDirectory"] ?? ".data";
        var port = configuration.GetValue<int?>("Database:Port");
        var postgres = await LocalPostgres.StartAsync(dataDirectory, port);
        configuration["ConnectionStrings:Marten"] = postgres.ConnectionString;
        Console.WriteLine($"Local PostgreSQL on 127.0.0.1:{postgres.Port} (data in {postgres.DataDirectory})");
        return postgres;
    }
}
