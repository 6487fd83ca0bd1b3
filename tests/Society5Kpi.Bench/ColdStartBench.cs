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
        // Static needs the code `codegen write` writes into src/Society5Kpi/Internal/Generated, compiled into the app. It is not
        // committed (Dynamic is what runs today): written here for the comparison and removed again afterwards.
        var generated = Path.Combine(Repository.Root, "src", "Society5Kpi", "Internal", "Generated");
        var generatedHere = !Directory.Exists(generated);
        try
        {
            await using var postgres = await BenchPostgres.StartAsync();
            log.WriteLine("codegen write");
            await ChildApp.RunVerbAsync(ChildApp.BuiltApp, postgres.ConnectionString, ["codegen", "write"],
                workingDirectory: Path.GetDirectoryName(Path.GetDirectoryName(generated))!);
            if (!Directory.EnumerateFiles(generated, "*.cs", SearchOption.AllDirectories).Any())
                throw new InvalidOperationException($"codegen write wrote nothing into {generated}");
            log.WriteLine("dotnet publish");
            await RunAsync("dotnet", ["publish", Path.Combine(Repository.Root, "src", "Society5Kpi", "Society5Kpi.csproj"), "-c", "Release",
                "-o", publish.FullName, "-v", "q", "--nologo"]);
            var dll = Path.Combine(publish.FullName, "Society5Kpi.dll");
            log.WriteLine("importing the seeded plan (the import verb)");
            await ChildApp.RunVerbAsync(dll, postgres.ConnectionString, ["import"]);

            string[] modes = ["Dynamic", "Static"];
            var toPage = modes.ToDictionary(m => m, _ => new List<double>());
            for (var i = 0; i < Starts; i++)
                foreach (var mode in modes) // interleaved, so a busier moment of the machine does not favour one mode
                {
                    // Each start is a new process on the same, already seeded store: what a restart of the service costs.
                    await using var app = ChildApp.Start(dll, postgres.ConnectionString,
                        environment: new Dictionary<string, string> { ["CodeGeneration__TypeLoadMode"] = mode });
                    toPage[mode].Add((await app.WaitForAsync("", TimeSpan.FromMinutes(2), pollMilliseconds: 10)).TotalSeconds);
                    // The page served is not enough: a write (a handler's code) must work too, or Static is missing a type.
                    await app.WaitForAsync("api/indicators/DAT-01", TimeSpan.FromMinutes(2));
                    log.WriteLine($"  start {i + 1}, {mode}: GET / 200 after {toPage[mode][^1]:0.00} s");
                }
            var md = new StringBuilder();
            md.AppendLine("## Cold start (goal 6)");
            md.AppendLine();
            md.AppendLine($"The published app (`dotnet publish -c Release`, run as `dotnet Society5Kpi.dll`) started {Starts} times per mode on a PostgreSQL " +
                          "already holding the seeded plan; the time from the process's start to the first 200 of `GET /` (the overview, rendered on the " +
                          "server), polled every 10 ms. `Dynamic`: Wolverine generates the handlers' and endpoints' code with Roslyn at run time. " +
                          "`Static`: the code written by `codegen write` (into src/Society5Kpi/Internal/Generated, just before the publish, and removed " +
                          "after it) compiled into the app, chosen with `CodeGeneration:TypeLoadMode`. After each first page the suite also waits for " +
                          "`GET /api/indicators/DAT-01` (a Wolverine endpoint), so a Static start missing a generated type fails here. Marten 9 " +
                          "generates its code at build time in both.");
            md.AppendLine();
            md.AppendLine("| mode | first 200 of GET / (median) | min | max | / Dynamic |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var mode in modes)
                md.AppendLine($"| {mode} | {Number(Median(toPage[mode]), "0.00")} s | {Number(toPage[mode].Min(), "0.00")} s | " +
                              $"{Number(toPage[mode].Max(), "0.00")} s | {Ratio(Median(toPage[mode]) / Median(toPage["Dynamic"]))} |");
            return md.ToString();
        }
        finally
        {
            publish.Delete(recursive: true);
            if (generatedHere && Directory.Exists(generated))
            {
                Directory.Delete(generated, recursive: true);
                var folder = Path.GetDirectoryName(generated)!;
                if (!Directory.EnumerateFileSystemEntries(folder).Any()) Directory.Delete(folder);
            }
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
