namespace Society5Kpi.Bench.Support;

/// <summary>Sizes of a run from the environment (BENCH_*), so a quick run and the sizes use the same code.</summary>
public static class Settings
{
    public static int Int(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;
}
