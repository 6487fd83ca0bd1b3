using Society5Kpi.Infrastructure;

namespace Society5Kpi.Bench.Support;

public static class BenchPostgres
{
    /// <summary>A throw-away cluster of the app's own kind, in a folder named for the benchmarks so a leftover one is recognisable.</summary>
    public static Task<LocalPostgres> StartAsync() =>
        LocalPostgres.StartAsync(Path.Combine(Path.GetTempPath(), $"s5k-bench-pg-{Guid.NewGuid():N}"), removeOnStop: true);
}
