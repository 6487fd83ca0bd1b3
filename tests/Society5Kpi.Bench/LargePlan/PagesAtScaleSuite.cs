using Society5Kpi.Bench.Support;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Society5Kpi.Infrastructure;

namespace Society5Kpi.Bench.LargePlan;

/// <summary>
/// Goal 2 of issue 13: the public pages answer in the same time at about 10 thousand events and at the large plan's
/// millions (ratio large/small ≤ 1.2). Two small plans: one with the large plan's indicators and quarters, one with all
/// its municipalities, so every route has a small answer of about its large answer's length. The same app build serves
/// each plan in turn, from its own database on one PostgreSQL; sequential GETs over real HTTP on loopback, after a
/// warm-up, each bounded by a timeout.
/// Sizes: S5K_PAGES_SMALL_EVENTS (default 10,000), S5K_PAGES_LARGE (scale factor of Japan's 1,741 municipalities).
/// </summary>
public sealed class PagesAtScaleSuite : IBenchSuite
{
    private const int WarmUp = 3;
    private static readonly TimeSpan WarmUpTime = TimeSpan.FromSeconds(10);
    private const int Requests = 50;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
    // Enough for 50 requests of a page that costs the same at both sizes; a slower one is measured on fewer.
    private static readonly TimeSpan RouteBudget = TimeSpan.FromSeconds(45);
    private const string PastDay = "2021-03-31";

    public string Name => "pages-at-scale";
    public int Order => 20;

    /// <summary>The routes timed: a recorded indicator (its prefecture figure from a source) is the one shown.</summary>
    private static IReadOnlyList<(string Name, string Path)> Routes(string code) =>
    [
        ("overview `/`", "/"),
        ("indicator page", $"/indicators/{code}"),
        ("map page", $"/municipalities?indicator={code}"),
        ("map data (breakdown API)", $"/api/indicators/{code}/municipalities"),
        ("embed widget", $"/embed/indicators/{code}"),
        ($"as-of view (API, {PastDay})", $"/api/indicators?asOf={PastDay}"),
    ];

    public async Task<string> RunAsync(TextWriter log)
    {
        var smallEvents = (long)ScaleDatabase.Factor("S5K_PAGES_SMALL_EVENTS", 10_000);
        var plans = new[]
        {
            ("small", LargePlanSize.ForEvents(smallEvents)),
            ("small_wide", LargePlanSize.AllMunicipalitiesForEvents(smallEvents)),
            ("large", LargePlanSize.Scaled(ScaleDatabase.Factor("S5K_PAGES_LARGE", DefaultLargeFactor))),
        };
        var code = LargePlanGenerator.CodeOf(0);
        await using var postgres = await ScaleDatabase.StartPostgresAsync();

        var results = new List<SizeResult>();
        foreach (var (name, size) in plans)
        {
            var (connectionString, load) = await ScaleDatabase.CreateAsync(postgres, name, size, log);
            // The pages are measured, not the public rate limiter's 429s.
            await using var app = await InProcessApp.StartAsync(connectionString, new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "false" });
            var timings = new List<RouteTiming>();
            foreach (var (route, path) in Routes(code))
            {
                var timing = await TimeAsync(app.BaseAddress, route, path);
                log.WriteLine($"  {name} {route}: {timing.Summary}");
                timings.Add(timing);
            }
            results.Add(new SizeResult(name, size, load, timings, PeakMemory.MiB()));
        }
        return Markdown(results[0], results[1], results[2], code);
    }

    /// <summary>The default large plan: Japan's 1,741 municipalities (7 million events) fit the time budget on 2 cores.</summary>
    private const double DefaultLargeFactor = 1.0;

    private static async Task<RouteTiming> TimeAsync(Uri baseAddress, string route, string path)
    {
        using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None })
            { BaseAddress = baseAddress, Timeout = RequestTimeout };
        var times = new List<double>();
        var bytes = 0;
        // Warm until the runtime's tiered compiler has recompiled the hot paths (about 5 s of requests after a start), so
        // the first plan measured does not pay for the process's JIT: at least WarmUp requests and WarmUpTime, or WarmUp
        // requests of a route too slow for that.
        var warming = Stopwatch.StartNew();
        var warmed = 0;
        var budget = new Stopwatch();
        while (times.Count < Requests && (times.Count == 0 || budget.Elapsed < RouteBudget))
        {
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await http.GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                watch.Stop();
                if (!response.IsSuccessStatusCode)
                    return new RouteTiming(route, path, [], body.Length, $"HTTP {(int)response.StatusCode}");
                bytes = body.Length;
            }
            catch (HttpRequestException e)
            {
                return new RouteTiming(route, path, times, bytes, $"failed: {e.Message}");
            }
            catch (TaskCanceledException)
            {
                // The server may still be working on it: later figures would not be clean, so the route stops here.
                return new RouteTiming(route, path, times, bytes, $"> {RequestTimeout.TotalSeconds:F0} s (timeout)");
            }
            if (warming.IsRunning)
            {
                if (++warmed >= WarmUp && (warming.Elapsed >= WarmUpTime || watch.Elapsed >= WarmUpTime / 10)) { warming.Stop(); budget.Start(); }
                continue;
            }
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        return new RouteTiming(route, path, times, bytes, null);
    }

    private static string Markdown(SizeResult small, SizeResult wide, SizeResult large, string code)
    {
        var md = new StringBuilder();
        md.AppendLine("## Pages at scale (goal 2)");
        md.AppendLine();
        md.AppendLine($"Generated plans (`tests/Society5Kpi.Bench/LargePlan`): **small** {small.Size}, **small_wide** {wide.Size}, **large** {large.Size}. " +
                      "Hokkaido's 179 municipalities are the real ones from seeds/; the others have synthetic codes (valid check digits) and names. Every " +
                      $"{large.Size.DerivedEvery}th indicator derives its prefecture figure from its municipalities'. Indicator shown: `{code}` " +
                      "(prefecture figure recorded). The same Release build (the app's AddSociety5Kpi/UseSociety5Kpi on Kestrel, hosted in the benchmark's process) serves each plan from its own database on one PostgreSQL 15; " +
                      $"{Requests} sequential GETs per route after a warm-up of {WarmUpTime.TotalSeconds:F0} s (at least {WarmUp} requests), over HTTP on loopback, each bounded by " +
                      $"{RequestTimeout.TotalSeconds:F0} s and each route by {RouteBudget.TotalSeconds:F0} s (fewer requests when slower: n says how many).");
        md.AppendLine();
        md.AppendLine("Both small plans hold about the same number of events. **small** has the large plan's indicators and quarters, so the overview and " +
                      "the as-of view list as much as the large plan's; **small_wide** has all its municipalities, so the indicator page, the map and the " +
                      "breakdown list as many municipalities as the large plan's. Each route's verdict takes the small plan whose answer is nearer the " +
                      "large answer's length, so the ratio compares the events behind an answer, not the answer's length.");
        md.AppendLine();
        md.AppendLine("| load | events | read-model documents | time | events/s | stages (overlapping: events and read models are copied at once) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var s in new[] { small, wide, large })
            md.AppendLine($"| {s.Name} | {s.Load.Events:N0} | {s.Load.Documents:N0} | {s.Load.Total.TotalSeconds:F1} s | {s.Load.EventsPerSecond:N0} | " +
                          $"events copied after {s.Load.EventsDone.TotalSeconds:F0} s; {s.Load.Stages} |");
        md.AppendLine();
        md.AppendLine("| route | small p50 / p99 (n) | small_wide p50 / p99 (n) | large p50 / p99 (n) | bytes small / small_wide / large | large / small | large / small_wide | goal ≤ 1.2 (against the nearer length) |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        for (var i = 0; i < large.Timings.Count; i++)
        {
            var (s, w, l) = (small.Timings[i], wide.Timings[i], large.Timings[i]);
            var (nearer, ratio) = LengthApart(s, l) <= LengthApart(w, l) ? ("small", Ratio(s, l)) : ("small_wide", Ratio(w, l));
            var verdict = ratio is { } r ? $"{(r <= 1.2 ? "met" : "**missed**")} ({nearer})" : "**missed**";
            md.AppendLine($"| {l.Route}{(l.Route.Contains('`') ? "" : $" `{l.Path}`")} | {s.Cell} | {w.Cell} | {l.Cell} | {s.Bytes:N0} / {w.Bytes:N0} / {l.Bytes:N0} | " +
                          $"{Format(Ratio(s, l))} | {Format(Ratio(w, l))} | {verdict} |");
        }
        md.AppendLine();
        md.AppendLine($"Peak memory of the process (VmHWM; the app is hosted in the benchmark's process, so the loader's memory counts too): " +
                      $"after small {small.PeakMemoryMiB:N0} MiB, after small_wide {wide.PeakMemoryMiB:N0} MiB, after large {large.PeakMemoryMiB:N0} MiB.");
        return md.ToString();

        static double LengthApart(RouteTiming a, RouteTiming b) => Math.Abs(Math.Log(Math.Max(1.0, a.Bytes) / Math.Max(1.0, b.Bytes)));

        static double? Ratio(RouteTiming baseline, RouteTiming measured) =>
            baseline.Failure is null && measured.Failure is null && baseline.Times.Count > 0 && measured.Times.Count > 0 ? measured.P50 / baseline.P50 : null;

        static string Format(double? ratio) => ratio is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) : "—";
    }

    private sealed record SizeResult(string Name, LargePlanSize Size, LoadReport Load, IReadOnlyList<RouteTiming> Timings, double PeakMemoryMiB);

    private sealed record RouteTiming(string Route, string Path, IReadOnlyList<double> Times, int Bytes, string? Failure)
    {
        public double P50 => Percentile(0.50);
        public double P99 => Percentile(0.99);

        private double Percentile(double p)
        {
            var sorted = Times.Order().ToList();
            return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        }

        public string Cell => Failure is not null
            ? Failure + (Times.Count > 0 ? $" after {Times.Count} at p50 {P50:F0} ms" : "")
            : $"{Ms(P50)} / {Ms(P99)} ms ({Times.Count})";

        public string Summary => Failure ?? $"p50 {P50:F1} ms, p99 {P99:F1} ms, n {Times.Count}, {Bytes:N0} bytes";

        private static string Ms(double ms) => ms < 10 ? ms.ToString("F1", CultureInfo.InvariantCulture) : ms.ToString("F0", CultureInfo.InvariantCulture);
    }
}
