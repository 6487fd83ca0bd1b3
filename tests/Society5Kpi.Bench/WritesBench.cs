using System.Net.Http.Json;
using System.Text;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Society5Kpi.Accounts;
using Society5Kpi.Bench.Support;
using Society5Kpi.Domain;
using Society5Kpi.Indicators.Defining;
using Society5Kpi.Infrastructure;
using Society5Kpi.Measurements.Recording;
using Wolverine;
using static Society5Kpi.Bench.Support.Markdown;

namespace Society5Kpi.Bench;

/// <summary>
/// Goal 1 of issue 13: a write costs the same whatever the stream holds. Sequential HTTP recordings of a figure
/// (POST /api/indicators/{code}/measurements as a signed-in editor) into an empty indicator and into one that already holds
/// <see cref="Preloaded"/> figures; against a direct Marten append of the same event and a raw single-row INSERT+commit,
/// all on the same PostgreSQL in the same run.
/// </summary>
public sealed class WritesBench : IBenchSuite
{
    public string Name => "writes";
    public int Order => 1;

    // BENCH_WRITES and BENCH_PRELOADED shrink or grow the run; the defaults are the issue's.
    private static readonly int Writes = Settings.Int("BENCH_WRITES", 300);
    private static readonly int Preloaded = Settings.Int("BENCH_PRELOADED", 10_000);
    private static readonly int RawInserts = Settings.Int("BENCH_RAW_INSERTS", 2_000);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(Settings.Int("BENCH_WRITES_SECONDS", 90));

    private const string Empty = "BEN-01", Full = "BEN-02", Direct = "BEN-03", WarmUp = "BEN-04";
    private const string Editor = "bench-editor";

    public async Task<string> RunAsync(TextWriter log)
    {
        await using var postgres = await BenchPostgres.StartAsync();
        await using var app = await InProcessApp.StartAsync(postgres.ConnectionString);
        log.WriteLine("importing the seeded plan");
        await app.ImportSeedsAsync();
        var bus = app.Services.GetRequiredService<IMessageBus>();
        foreach (var code in new[] { Empty, Full, Direct, WarmUp }) await bus.InvokeAsync<IndicatorDefinitionResult>(Definition(code));

        log.WriteLine($"preloading {Preloaded} figures into {Full}");
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var preload = System.Diagnostics.Stopwatch.StartNew();
        foreach (var batch in Enumerable.Range(0, Preloaded).Chunk(2_000))
        {
            await using var session = store.LightweightSession();
            session.LastModifiedBy = Editor;
            session.Events.Append(Full, batch.Select(i => (object)Figure(Full, i)).ToArray());
            await session.SaveChangesAsync();
        }
        preload.Stop();
        var held = await FiguresInAsync(store, Full);
        if (held < Preloaded) throw new InvalidOperationException($"{Full} holds {held} figures after preloading {Preloaded}");

        var cookie = await app.SignInAsync(Editor, Roles.Editor);
        using var http = Session.Client(app.BaseAddress, cookie);
        // Warm-up: the first call of a handler generates its code (Roslyn), and JIT: neither is what is measured.
        await Timings.SequentialAsync(30, Limit, i => RecordOverHttpAsync(http, WarmUp, i));
        await Timings.SequentialAsync(30, Limit, i => AppendDirectlyAsync(store, WarmUp, 1_000 + i));

        log.WriteLine("HTTP into an empty stream");
        var empty = await Timings.SequentialAsync(Writes, Limit, i => RecordOverHttpAsync(http, Empty, i));
        log.WriteLine($"  {empty.Summary}");
        log.WriteLine($"HTTP into a stream of {Preloaded} figures");
        var full = await Timings.SequentialAsync(Writes, Limit, i => RecordOverHttpAsync(http, Full, i));
        log.WriteLine($"  {full.Summary}");
        log.WriteLine("direct Marten append");
        var direct = await Timings.SequentialAsync(Writes, Limit, i => AppendDirectlyAsync(store, Direct, i));
        log.WriteLine($"  {direct.Summary}");
        log.WriteLine("raw INSERT + commit");
        var raw = await RawInsertsAsync(postgres.ConnectionString);
        log.WriteLine($"  {raw.Summary}");

        // Every acknowledged write is in its stream: a benchmark of writes that were lost would measure nothing.
        await CheckStoredAsync(store, Empty, empty.Count);
        await CheckStoredAsync(store, Full, Preloaded + full.Count);
        await CheckStoredAsync(store, Direct, direct.Count);

        var flat = full.PerSecond / empty.PerSecond;
        var versusMarten = empty.PerSecond / direct.PerSecond;
        var md = new StringBuilder();
        md.AppendLine("## Writes (goal 1)");
        md.AppendLine();
        md.AppendLine($"Sequential writes, one client, the app in the benchmark's process on Kestrel (loopback HTTP/1.1), the seeded plan " +
                      $"in the store, signed in as an editor (cookie session; no Origin header, as an API client). Each HTTP write is " +
                      $"`POST /api/indicators/{{code}}/measurements`, a draft figure; the direct append is `session.Events.Append` of the same " +
                      $"`MeasurementRecorded` event with `SaveChangesAsync`, a session per event, through the app's own store (its inline " +
                      $"projections run); the raw commit is a single-row `INSERT` of a jsonb row, autocommit, on one Npgsql connection. " +
                      $"{Preloaded:N0} figures were preloaded with Marten appends of 2,000 events per session in {preload.Elapsed.TotalSeconds:0.0} s " +
                      $"({Preloaded / preload.Elapsed.TotalSeconds:0} events/s). Each run stops after {Writes} writes or {Limit.TotalSeconds:0} s.");
        md.AppendLine();
        md.AppendLine("| run | writes/s | p50 ms | p99 ms | writes |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (label, t) in new[] { ("(a) HTTP, empty indicator stream", empty), ($"(b) HTTP, stream holding {Preloaded:N0} figures", full),
                     ("direct Marten append (same event)", direct), ("raw single-row INSERT + commit", raw) })
            md.AppendLine($"| {label} | {Number(t.PerSecond)} | {Number(t.Percentile(50), "0.00")} | {Number(t.Percentile(99), "0.00")} | {t.Count} |");
        md.AppendLine();
        md.AppendLine("| goal | ratio | target | |");
        md.AppendLine("| --- | ---: | ---: | --- |");
        md.AppendLine($"| flat in the stream's size: (b) / (a) | {Ratio(flat)} | ≥ 0.90× | {Met(flat >= 0.9)} |");
        md.AppendLine($"| HTTP (a) / direct Marten append | {Ratio(versusMarten)} | ≥ 0.50× | {Met(versusMarten >= 0.5)} |");
        md.AppendLine($"| HTTP (a) / raw single-row commit | {Ratio(empty.PerSecond / raw.PerSecond)} | (reported) | |");
        md.AppendLine($"| direct Marten append / raw single-row commit | {Ratio(direct.PerSecond / raw.PerSecond)} | (reported) | |");
        return md.ToString();
    }

    private static DefineIndicator Definition(string code) => new(
        code, Area.Infrastructure, "ベンチマーク", "Benchmark", $"ベンチマーク指標 {code}", $"Benchmark indicator {code}", "sites", "箇所",
        Direction.Increase, Measure.Level, ReportingFrequency.Quarterly, PlanIndicator: false,
        BaselineValue: 100, BaselinePeriod: Period.Parse("FY2020"), BaselineBasis: null, TargetValue: 200, TargetPeriod: Period.Parse("FY2025"),
        Note: null, Source: null, Reason: "benchmark");

    private static readonly DateOnly AsOf = new(2024, 12, 31);

    /// <summary>The i-th figure as the app records it: a draft by the editor, its quarter cycling over FY2020-FY2023.</summary>
    private static RecordMeasurementRequest Request(int i) =>
        new($"FY{2020 + i / 4 % 4}Q{i % 4 + 1}", AsOf, 100 + i % 100, $"bench source {i}", null, null);

    private static MeasurementRecorded Figure(string code, int i)
    {
        var r = Request(i);
        var now = DateTimeOffset.UtcNow;
        return new RecordMeasurement(code, r.Period, r.AsOf, r.Value, r.Source, r.Note, null, Editor).ToEvent(Guid.CreateVersion7(now), now);
    }

    private static async Task RecordOverHttpAsync(HttpClient http, string code, int i)
    {
        var response = await http.PostAsJsonAsync($"api/indicators/{code}/measurements", Request(i));
        if ((int)response.StatusCode != 201)
            throw new InvalidOperationException($"POST {code} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task AppendDirectlyAsync(IDocumentStore store, string code, int i)
    {
        await using var session = store.LightweightSession();
        session.LastModifiedBy = Editor;
        session.Events.Append(code, Figure(code, i));
        await session.SaveChangesAsync();
    }

    private static async Task<Timings> RawInsertsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand("create table bench_raw_write (id bigserial primary key, data jsonb not null)", connection))
            await create.ExecuteNonQueryAsync();
        var body = System.Text.Json.JsonSerializer.Serialize(Figure(Direct, 0));
        await using var insert = new NpgsqlCommand("insert into bench_raw_write (data) values ($1::jsonb)", connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = body });
        await insert.PrepareAsync();
        return await Timings.SequentialAsync(RawInserts, Limit, _ => insert.ExecuteNonQueryAsync());
    }

    private static async Task<int> FiguresInAsync(IDocumentStore store, string code)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(code);
        return events.Count(e => e.Data is MeasurementRecorded);
    }

    private static async Task CheckStoredAsync(IDocumentStore store, string code, int expected)
    {
        var held = await FiguresInAsync(store, code);
        if (held != expected) throw new InvalidOperationException($"{code} holds {held} figures, {expected} were acknowledged");
    }
}
