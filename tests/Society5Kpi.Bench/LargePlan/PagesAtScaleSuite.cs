using Microsoft.Extensions.DependencyInjection;
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
/// the three plans at once, each from its own database on one PostgreSQL; each route asked of the three in turn,
/// sequential GETs over real HTTP on loopback, after a warm-up, each bounded by a timeout.
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

        // Every plan is loaded and served at once, and each route is asked of the three in turn, request by request: drift
        // in the machine (the runtime's tiering, the collector, PostgreSQL's cache, a neighbour's load) falls on all three
        // alike. Timed one plan after the other, the same cached answer varied by up to 1.7× between runs.
        var loaded = new List<(string Name, LargePlanSize Size, LoadReport Load, double PeakMemoryMiB, InProcessApp App)>();
        try
        {
            foreach (var (name, size) in plans)
            {
                var (connectionString, load) = await ScaleDatabase.CreateAsync(postgres, name, size, log);
                // The loader's garbage is the benchmark's, not the app's: a heap left over from loading 7 million events
                // would make the collections dearer for whatever is measured after it.
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                var peak = PeakMemory.MiB();
                // The pages are measured, not the public rate limiter's 429s.
                loaded.Add((name, size, load, peak,
                    await InProcessApp.StartAsync(connectionString, new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "false" })));
            }
            var timings = new List<RouteTiming[]>();
            foreach (var (route, path) in Routes(code))
            {
                var side = await TimeSideBySideAsync(loaded.Select(p => p.App.BaseAddress).ToList(), route, path);
                for (var i = 0; i < side.Length; i++) log.WriteLine($"  {loaded[i].Name} {route}: {side[i].Summary}");
                timings.Add(side);
            }
            var states = await TimeStatesQueryAsync(loaded.Select(p => p.App).ToList());
            var results = loaded.Select((p, i) => new SizeResult(p.Name, p.Size, p.Load, timings.Select(t => t[i]).ToList(), p.PeakMemoryMiB, states[i])).ToList();
            return Markdown(results[0], results[1], results[2], code);
        }
        finally
        {
            foreach (var plan in loaded) await plan.App.DisposeAsync();
        }
    }

    /// <summary>
    /// p50 of the query every public page starts with (each indicator's latest event, the key of its cached view), on each
    /// plan in turn: the part of a cached answer's time that can grow with the events table.
    /// </summary>
    private static async Task<double[]> TimeStatesQueryAsync(IReadOnlyList<InProcessApp> apps)
    {
        var times = apps.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < 10 + Requests; round++)
            for (var i = 0; i < apps.Count; i++)
            {
                await using var session = apps[i].Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
                var watch = Stopwatch.StartNew();
                await Society5Kpi.Indicators.PublishedViews.StatesAsync(session, null, CancellationToken.None);
                if (round >= 10) times[i].Add(watch.Elapsed.TotalMilliseconds);
            }
        return times.Select(t => new RouteTiming("states query", "", t, 0, null).P50).ToArray();
    }

    /// <summary>The default large plan: Japan's 1,741 municipalities (7 million events) fit the time budget on 2 cores.</summary>
    private const double DefaultLargeFactor = 1.0;

    /// <summary>One route of each app, asked in rounds (one request to each app per round, the order turning each round).</summary>
    private static async Task<RouteTiming[]> TimeSideBySideAsync(IReadOnlyList<Uri> apps, string route, string path)
    {
        var clients = apps.Select(a => new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None })
            { BaseAddress = a, Timeout = RequestTimeout }).ToList();
        var times = apps.Select(_ => new List<double>()).ToArray();
        var bytes = new int[apps.Count];
        var failures = new string?[apps.Count];
        try
        {
            // Warm until the runtime's tiered compiler has recompiled the hot paths (about 5 s of requests after a start):
            // at least WarmUp rounds and WarmUpTime, or WarmUp rounds of a route too slow for that.
            var warming = Stopwatch.StartNew();
            for (var round = 0; ; round++)
            {
                var slowest = TimeSpan.Zero;
                for (var i = 0; i < apps.Count; i++)
                    if (await AskAsync(i) is { } took && took > slowest) slowest = took;
                if (round + 1 >= WarmUp && (warming.Elapsed >= WarmUpTime || slowest >= WarmUpTime / 10) || failures.All(f => f is not null)) break;
            }
            foreach (var list in times) list.Clear();
            var budget = Stopwatch.StartNew();
            for (var round = 0; round < Requests && (round == 0 || budget.Elapsed < RouteBudget * apps.Count); round++)
                for (var k = 0; k < apps.Count; k++)
                    await AskAsync((round + k) % apps.Count);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
        return apps.Select((_, i) => new RouteTiming(route, path, times[i], bytes[i], failures[i])).ToArray();

        // One GET of app i, its time kept; null once the app has failed this route (its later figures would not be clean).
        async Task<TimeSpan?> AskAsync(int i)
        {
            if (failures[i] is not null) return null;
            var watch = Stopwatch.StartNew();
            try
            {
                using var response = await clients[i].GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                watch.Stop();
                bytes[i] = body.Length;
                if (!response.IsSuccessStatusCode) failures[i] = $"HTTP {(int)response.StatusCode}";
            }
            catch (HttpRequestException e)
            {
                failures[i] = $"failed: {e.Message}";
            }
            catch (TaskCanceledException)
            {
                failures[i] = $"> {RequestTimeout.TotalSeconds:F0} s (timeout)";
            }
            if (failures[i] is not null) return null;
            times[i].Add(watch.Elapsed.TotalMilliseconds);
            return watch.Elapsed;
        }
    }

    private static string Markdown(SizeResult small, SizeResult wide, SizeResult large, string code)
    {
        var md = new StringBuilder();
        md.AppendLine("## Pages at scale (goal 2)");
        md.AppendLine();
        md.AppendLine($"Generated plans (`tests/Society5Kpi.Bench/LargePlan`): **small** {small.Size}, **small_wide** {wide.Size}, **large** {large.Size}. " +
                      "Hokkaido's 179 municipalities are the real ones from seeds/; the others have synthetic codes (valid check digits) and names. Every " +
                      $"{large.Size.DerivedEvery}th indicator derives its prefecture figure from its municipalities'. Indicator shown: `{code}` " +
                      "(prefecture figure recorded). The same Release build (the app's AddSociety5Kpi/UseSociety5Kpi on Kestrel, hosted in the benchmark's process, a full collection after each load) serves the three plans at once, each from its own database on one PostgreSQL 15; " +
                      $"each route is asked of the three in turn, {Requests} rounds of sequential GETs (the order turning each round) after a warm-up of {WarmUpTime.TotalSeconds:F0} s (at least {WarmUp} rounds), over HTTP on loopback, each bounded by " +
                      $"{RequestTimeout.TotalSeconds:F0} s and each route by {RouteBudget.TotalSeconds:F0} s a plan (fewer requests when slower: n says how many).");
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
        md.AppendLine($"Peak memory of the process (VmHWM; the apps are hosted in the benchmark's process, so the loader's memory counts too): " +
                      $"after loading small {small.PeakMemoryMiB:N0} MiB, after small_wide {wide.PeakMemoryMiB:N0} MiB, after large {large.PeakMemoryMiB:N0} MiB.");
        md.AppendLine();
        md.AppendLine($"The states query every public answer starts with (each indicator's latest event, the key of its cached view), p50 of {Requests} on each plan in turn: " +
                      $"small {small.StatesQueryMs:F2} ms, small_wide {wide.StatesQueryMs:F2} ms, large {large.StatesQueryMs:F2} ms.");
        return md.ToString();

        static double LengthApart(RouteTiming a, RouteTiming b) => Math.Abs(Math.Log(Math.Max(1.0, a.Bytes) / Math.Max(1.0, b.Bytes)));

        static double? Ratio(RouteTiming baseline, RouteTiming measured) =>
            baseline.Failure is null && measured.Failure is null && baseline.Times.Count > 0 && measured.Times.Count > 0 ? measured.P50 / baseline.P50 : null;

        static string Format(double? ratio) => ratio is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) : "—";
    }

    private sealed record SizeResult(string Name, LargePlanSize Size, LoadReport Load, IReadOnlyList<RouteTiming> Timings, double PeakMemoryMiB, double StatesQueryMs);

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
