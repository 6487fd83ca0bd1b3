using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;
using Society5Kpi.Bench.Support;
using Society5Kpi.Infrastructure;
using static Society5Kpi.Bench.Support.Markdown;

namespace Society5Kpi.Bench;

/// <summary>
/// Goal 3 of issue 13: an embed widget costs about what a static file of its size costs. wrk at 64 connections against
/// a seeded indicator's widget page, then against a static file holding the same bytes, served by the same Kestrel
/// through the same middleware.
/// </summary>
public sealed class WidgetBench : IBenchSuite
{
    public string Name => "widget";
    public int Order => 3;

    private static readonly int Connections = Settings.Int("BENCH_WIDGET_CONNECTIONS", 64);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(Settings.Int("BENCH_WIDGET_SECONDS", 10));

    // ADM-03 (the My Number card rate, the longest seeded stream: the prefecture's and 179 municipalities' figures) and
    // DAT-01 (a short one).
    private static readonly string[] Widgets = ["ADM-03", "DAT-01"];

    public async Task<string> RunAsync(TextWriter log)
    {
        var staticDirectory = Directory.CreateTempSubdirectory("s5k-bench-static-");
        try
        {
            await using var postgres = await BenchPostgres.StartAsync();
            // The rate limiter stays in the pipeline (its cost is part of a public request) but with a window no client
            // fills: wrk's 64 connections share one address and would otherwise measure the 429 path.
            await using var app = await InProcessApp.StartAsync(postgres.ConnectionString,
                new Dictionary<string, string?> { ["RateLimiting:PermitsPerWindow"] = "1000000000" },
                // After the app's own middleware, so the static file passes through the same pipeline as the widget.
                web => web.UseStaticFiles(new StaticFileOptions
                {
                    FileProvider = new PhysicalFileProvider(staticDirectory.FullName), RequestPath = "/bench-static"
                }));
            log.WriteLine("importing the seeded plan");
            await app.ImportSeedsAsync();

            var md = new StringBuilder();
            md.AppendLine("## Embed widget (goal 3)");
            md.AppendLine();
            md.AppendLine($"wrk, 2 threads, {Connections} connections, {Duration.TotalSeconds:0} s per run, on the same 2 cores as the app (in the " +
                          "benchmark's process on Kestrel, the seeded plan in the store). The baseline is a static file holding the widget's own bytes, " +
                          "served by the same Kestrel with `UseStaticFiles` after the app's middleware (the same pipeline; no app change). wrk sends no " +
                          "Accept-Encoding or If-None-Match: every answer is the full uncompressed 200. The public rate limit stays on with " +
                          "`RateLimiting:PermitsPerWindow=1000000000`, so its cost is measured but no request is refused; each run must have no " +
                          "non-2xx answer and no socket error.");
            md.AppendLine();
            md.AppendLine("| URL | bytes | requests/s | p50 ms | p99 ms | static requests/s | static p99 ms | widget / static | goal ≥ 0.80×, p99 < 10 ms |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
            using var http = new HttpClient { BaseAddress = app.BaseAddress };
            foreach (var code in Widgets)
            {
                var widgetUrl = new Uri(app.BaseAddress, $"embed/indicators/{code}");
                var body = await http.GetByteArrayAsync(widgetUrl);
                await File.WriteAllBytesAsync(Path.Combine(staticDirectory.FullName, $"{code}.html"), body);
                var staticUrl = new Uri(app.BaseAddress, $"bench-static/{code}.html");
                var copy = await http.GetByteArrayAsync(staticUrl);
                if (!copy.SequenceEqual(body)) throw new InvalidOperationException($"the static copy of {code}'s widget differs from it");

                // Warm-up of both (JIT, connection pools), then the measured runs.
                await WrkResult.RunAsync(widgetUrl, Connections, TimeSpan.FromSeconds(3));
                await WrkResult.RunAsync(staticUrl, Connections, TimeSpan.FromSeconds(3));
                var widget = Checked(await WrkResult.RunAsync(widgetUrl, Connections, Duration), widgetUrl);
                var file = Checked(await WrkResult.RunAsync(staticUrl, Connections, Duration), staticUrl);
                log.WriteLine($"  {code}: widget {widget.RequestsPerSecond:0}/s p99 {widget.P99Ms:0.0} ms; static {file.RequestsPerSecond:0}/s p99 {file.P99Ms:0.0} ms");
                var ratio = widget.RequestsPerSecond / file.RequestsPerSecond;
                md.AppendLine($"| `/embed/indicators/{code}` | {body.Length:N0} | {Number(widget.RequestsPerSecond, "0")} | {Number(widget.P50Ms, "0.00")} | " +
                              $"{Number(widget.P99Ms, "0.00")} | {Number(file.RequestsPerSecond, "0")} | {Number(file.P99Ms, "0.00")} | {Ratio(ratio)} | " +
                              $"{Met(ratio >= 0.8 && widget.P99Ms < 10)} |");
            }
            return md.ToString();
        }
        finally
        {
            staticDirectory.Delete(recursive: true);
        }
    }

    private static WrkResult Checked(WrkResult result, Uri url) =>
        result.Non2xx > 0 || result.SocketErrors > 0 || result.Requests == 0
            ? throw new InvalidOperationException($"{url}: {result.Non2xx} non-2xx answers, {result.SocketErrors} socket errors in {result.Requests} requests")
            : result;
}
