using System.Diagnostics;
using System.Text;
using Society5Kpi.Bench.Support;
using static Society5Kpi.Bench.Support.Markdown;

namespace Society5Kpi.Bench;

/// <summary>
/// Goal 6 of issue 13: from process start to the first 200 of GET /, for the published app (`dotnet publish`, Release)
/// on a PostgreSQL that already holds the seeded plan, with the code generation mode in use.
/// </summary>
public sealed class ColdStartBench : IBenchSuite
{
    public string Name => "coldstart";
    public int Order => 6;

    private static readonly int Starts = Settings.Int("BENCH_COLDSTARTS", 5);

    public async Task<string> RunAsync(TextWriter log)
    {
        var publish = Directory.CreateTempSubdirectory("s5k-bench-publish-");
        try
        {
            log.WriteLine("dotnet publish");
            await RunAsync("dotnet", ["publish", Path.Combine(Repository.Root, "src", "Society5Kpi", "Society5Kpi.csproj"), "-c", "Release",
                "-o", publish.FullName, "-v", "q", "--nologo"]);
            var dll = Path.Combine(publish.FullName, "Society5Kpi.dll");
            await using var postgres = await BenchPostgres.StartAsync();
            log.WriteLine("importing the seeded plan (the import verb)");
            await ChildApp.RunVerbAsync(dll, postgres.ConnectionString, ["import"]);

            var toPage = new List<double>();
            var toHealth = new List<double>();
            for (var i = 0; i < Starts; i++)
            {
                // Each start is a new process on the same, already seeded store: what a restart of the service costs.
                await using var app = ChildApp.Start(dll, postgres.ConnectionString);
                toPage.Add((await app.WaitForAsync("", TimeSpan.FromMinutes(2), pollMilliseconds: 10)).TotalSeconds);
                toHealth.Add((await app.WaitForAsync("health", TimeSpan.FromMinutes(2))).TotalSeconds);
                log.WriteLine($"  start {i + 1}: GET / 200 after {toPage[^1]:0.00} s");
            }
            var md = new StringBuilder();
            md.AppendLine("## Cold start (goal 6)");
            md.AppendLine();
            md.AppendLine($"The published app (`dotnet publish -c Release`, run as `dotnet Society5Kpi.dll`) started {Starts} times on a PostgreSQL already " +
                          "holding the seeded plan; the time from the process's start to the first 200 of `GET /` (the overview, rendered on the " +
                          "server), polled every 10 ms. Code generation: Wolverine's default, `TypeLoadMode.Dynamic` (handlers' and endpoints' code " +
                          "generated with Roslyn at run time, on the first call of each); Marten 9 generates its code at build time.");
            md.AppendLine();
            md.AppendLine("| mode | first 200 of GET / (median) | min | max |");
            md.AppendLine("| --- | ---: | ---: | ---: |");
            md.AppendLine($"| dynamic (today) | {Number(Median(toPage), "0.00")} s | {Number(toPage.Min(), "0.00")} s | {Number(toPage.Max(), "0.00")} s |");
            return md.ToString();
        }
        finally
        {
            publish.Delete(recursive: true);
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private static async Task RunAsync(string tool, string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed:\n{await output}{await error}");
    }
}
