using System.Globalization;

namespace Society5Kpi.Drill;

/// <summary>
/// Bad input: thousands of generated malformed requests (JSON bodies, CSV and xlsx files, query strings, headers) against
/// every endpoint of the app on Kestrel, public and signed in. Zero 5xx, every case answered, nothing written on a refusal.
/// FUZZ_SEED (default 20261202) and FUZZ_CASES (default 4000) choose the run; FUZZ_CASE=i replays case i of that seed alone.
/// </summary>
public sealed class FuzzingDrill : IFaultDrill
{
    public const int DefaultSeed = 20261202;

    public string Name => "fuzzing";
    public int Order => 50;

    public async Task<DrillOutcome> RunAsync(TextWriter log)
    {
        var seed = Setting("FUZZ_SEED") ?? DefaultSeed;
        var cases = Setting("FUZZ_CASES") ?? 4000;
        var onlyCase = Setting("FUZZ_CASE");
        await using var app = await AppOnKestrel.StartAsync(log);
        // Bounded: a run that hangs is a failure too (each request has its own 60 s timeout as well).
        var run = new FuzzingRun(app.Target, seed, log).RunAsync(cases, onlyCase);
        if (await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(20))) != run)
            return new DrillOutcome(false, "## Fuzzing: malformed input against every endpoint\n\nThe run did not finish within 20 minutes.\n");
        var report = await run;
        foreach (var failure in report.Failures) log.WriteLine($"   FAILED {failure}");
        log.WriteLine($"   {(report.Passed ? "passed" : "FAILED")}: {report.Cases} cases, {report.Failures.Count} failures");
        return new DrillOutcome(report.Passed,
            "## Fuzzing: malformed input against every endpoint\n\n" +
            $"`ops/drill fuzzing` (seed and count from FUZZ_SEED, FUZZ_CASES; one case alone with FUZZ_CASE). The app on Kestrel (loopback), " +
            "its own PostgreSQL, the seeded plan, a signed-in account per role; each case is sent alone and the store is compared " +
            "before and after every write that was not accepted.\n\n" + report.Markdown());
    }

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
