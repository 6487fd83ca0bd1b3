using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;
using Society5Kpi.Bench.LargePlan;
using Society5Kpi.Bench.Support;
using Society5Kpi.Measurements.Importing;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Infrastructure;
using static Society5Kpi.Bench.Support.Markdown;

namespace Society5Kpi.Bench;

/// <summary>
/// Goal 4 of issue 13: a bulk import of <see cref="Rows"/> CSV rows through the secretariat's path for a file
/// (POST /api/imports/measurements, the preview, then its confirm, recorded in the background), against PostgreSQL's own
/// COPY of the same rows into a plain table on the same server. The app runs as its own process, so its peak memory is its own.
/// Beside them, the same rows as the import's events written by Marten alone (<see cref="EventFloorsAsync"/>): no path that
/// records each row as an event can be faster than those.
/// </summary>
public sealed class ImportBench : IBenchSuite
{
    public string Name => "import";
    public int Order => 4;

    private static readonly int Rows = Settings.Int("BENCH_IMPORT_ROWS", 100_000);
    // The confirm is followed this long at most; a slower import is reported with how far it got.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(Settings.Int("BENCH_IMPORT_SECONDS", 180));
    private const string Password = "bench password 1234", Editor = "bench-editor", Indicator = "ADM-03";

    public async Task<string> RunAsync(TextWriter log)
    {
        await using var postgres = await BenchPostgres.StartAsync();
        var dll = ChildApp.BuiltApp;
        log.WriteLine("importing the seeded plan, creating the editor (the app's verbs)");
        await ChildApp.RunVerbAsync(dll, postgres.ConnectionString, ["import"]);
        await ChildApp.RunVerbAsync(dll, postgres.ConnectionString, ["user", "add", Editor, "--role", "editor"],
            new Dictionary<string, string> { ["SOCIETY5KPI_PASSWORD"] = Password });
        var figures = BenchFigures(Rows);
        var csv = Csv(figures);
        var bytes = Encoding.UTF8.GetBytes(csv);

        var outcome = new StringBuilder();
        double productRate, previewSeconds, confirmSeconds, peakMiB;
        int processed, recorded;
        string state;
        Guid id;
        // The import's own log lines (time to check and to commit each batch) go to the log: where the time goes.
        await using (var app = ChildApp.Start(dll, postgres.ConnectionString,
                         environment: new Dictionary<string, string> { ["Logging__LogLevel__Society5Kpi.Measurements.Importing"] = "Information" }))
        {
            await app.WaitForAsync("health", TimeSpan.FromMinutes(2));
            var cookie = await Session.SignInAsync(app.BaseAddress, Editor, Password);
            using var http = Session.Client(app.BaseAddress, cookie);

            // A one-row preview first, not recorded: the first request of a fresh process generates the handlers' code and
            // compiles the queries (seconds on this machine; the cold start is goal 6's measurement, not this one's).
            using (var warmUp = new ByteArrayContent(Encoding.UTF8.GetBytes(Csv(BenchFigures(1)))))
            {
                warmUp.Headers.ContentType = new("text/csv") { CharSet = "utf-8" };
                using var answer = await http.PostAsync("api/imports/measurements?fileName=warm-up.csv", warmUp);
                if ((int)answer.StatusCode != 201) throw new InvalidOperationException($"the warm-up preview answered {(int)answer.StatusCode}");
            }

            log.WriteLine($"preview of {Rows:N0} rows ({bytes.Length / 1024.0 / 1024:0.0} MiB)");
            var clock = Stopwatch.StartNew();
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new("text/csv") { CharSet = "utf-8" };
            using var preview = await http.PostAsync("api/imports/measurements?fileName=bench.csv", content);
            previewSeconds = clock.Elapsed.TotalSeconds;
            var previewBody = await preview.Content.ReadAsStringAsync();
            if ((int)preview.StatusCode != 201)
                throw new InvalidOperationException($"the preview answered {(int)preview.StatusCode}: {Truncated(previewBody)}");
            using var previewJson = JsonDocument.Parse(previewBody);
            id = previewJson.RootElement.GetProperty("id").GetGuid();
            var counts = previewJson.RootElement.GetProperty("counts");
            var toRecord = counts.GetProperty("toRecord").GetInt32();
            if (toRecord != Rows || counts.GetProperty("errors").GetInt32() != 0)
                throw new InvalidOperationException($"the preview would record {toRecord} of {Rows} rows: {counts}");
            log.WriteLine($"  {previewSeconds:0.0} s; confirming");

            clock.Restart();
            using var confirm = await http.PostAsync($"api/imports/measurements/{id}/confirm", null);
            if ((int)confirm.StatusCode != 202)
                throw new InvalidOperationException($"the confirm answered {(int)confirm.StatusCode}: {Truncated(await confirm.Content.ReadAsStringAsync())}");
            (state, processed, recorded) = ("Importing", 0, 0);
            while (clock.Elapsed < Limit && state == "Importing")
            {
                await Task.Delay(1_000);
                (state, processed, recorded) = await ProgressAsync(postgres.ConnectionString, id);
                if (clock.Elapsed.TotalSeconds % 30 < 1) log.WriteLine($"  {clock.Elapsed.TotalSeconds:0} s: {processed:N0} processed");
            }
            confirmSeconds = clock.Elapsed.TotalSeconds;
            peakMiB = app.PeakMemoryMiB();
            foreach (var line in app.Output.Split('\n').Where(l => l.Contains("Preview ") || l.Contains("Import ")).Take(60))
                log.WriteLine($"  app: {line.Trim()}");
            log.WriteLine($"  {state}: {processed:N0} processed, {recorded:N0} recorded in {confirmSeconds:0} s; VmHWM {peakMiB:0} MiB");
            productRate = recorded / (previewSeconds + confirmSeconds);
        }
        // Every recorded row is an event in ADM-03's stream. The progress is saved in the same transaction as each batch
        // of events, so even an import stopped at the limit has exactly as many events as its progress says.
        var stored = await LargePlanLoader.ScalarAsync(postgres.ConnectionString,
            $"select count(*) from society5kpi.mt_events where stream_id = '{Indicator}' and data->>'Source' like 'bench %'");
        var (_, _, saved) = await ProgressAsync(postgres.ConnectionString, id);
        if (stored != saved || state == "Done" && stored != Rows)
            throw new InvalidOperationException($"the import's progress says {saved} rows recorded, the store holds {stored} of its events");

        log.WriteLine("the same rows as events, written by Marten without the import's checks");
        var floors = await EventFloorsAsync(postgres.ConnectionString, figures, log);
        log.WriteLine("COPY of the same rows");
        var copySeconds = await CopySecondsAsync(postgres.ConnectionString, csv);
        var copyRate = Rows / copySeconds;
        var ratio = productRate / copyRate;
        var done = state == "Done";

        var md = new StringBuilder();
        md.AppendLine("## Bulk import (goal 4)");
        md.AppendLine();
        md.AppendLine($"{Rows:N0} CSV rows ({bytes.Length / 1024.0 / 1024:0.0} MiB, UTF-8: `indicator_code,period,as_of,value,municipality,source`), " +
                      "figures of ADM-03 for the 179 municipalities, monthly 2015-01 to 2024-12, several sources, through the secretariat's path for a " +
                      "file: `POST /api/imports/measurements` (text/csv; the preview checks every row and stores it), then `POST .../{id}/confirm`, " +
                      "which records the rows in the background in batches (its progress read from the import's progress document every second). The app is its own " +
                      "process (`dotnet Society5Kpi.dll`, the seeded plan in the store), warmed up by the preview of a one-row file (not confirmed). The baseline is `COPY ... FROM STDIN (FORMAT csv)` of the " +
                      $"same text into a plain table on the same PostgreSQL (the best of 3). The confirm is followed for {Limit.TotalSeconds:0} s at most.");
        md.AppendLine();
        md.AppendLine("| step | figure |");
        md.AppendLine("| --- | ---: |");
        md.AppendLine($"| preview (upload, parse, check, store) | {Number(previewSeconds, "0.0")} s |");
        md.AppendLine($"| confirm | {state}: {processed:N0} rows processed, {recorded:N0} recorded in {Number(confirmSeconds, "0")} s " +
                      $"({Number(processed / confirmSeconds)} rows/s) |");
        md.AppendLine($"| product, preview + confirm | {Number(productRate, "0.0")} rows/s |");
        md.AppendLine($"| PostgreSQL COPY | {Number(copySeconds, "0.00")} s ({Number(copyRate, "0")} rows/s) |");
        md.AppendLine($"| peak memory of the app process (VmHWM) | {Number(peakMiB, "0")} MiB |");
        md.AppendLine();
        md.AppendLine($"The same {Rows:N0} rows as the import's `MeasurementRecorded` events (ADM-03's figures, the app's event metadata), " +
                      "written by Marten without the import's checks, in the benchmark's process, each timed once, the app stopped. No import that " +
                      "records each row as an event can be faster than the fastest of them, so its ratio to COPY is the most goal 4 can reach on this design.");
        md.AppendLine();
        md.AppendLine("| the same events written by | time | rows/s | / COPY |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var floor in floors)
            md.AppendLine($"| {floor.What} | {Number(floor.Seconds, "0.00")} s | {Number(Rows / floor.Seconds, "0")} | {Ratio(Rows / floor.Seconds / copyRate)} |");
        md.AppendLine();
        md.AppendLine("| goal | ratio | target | |");
        md.AppendLine("| --- | ---: | ---: | --- |");
        md.AppendLine($"| import / COPY, rows/s{(done ? "" : " (over the rows recorded within the limit)")} | {Ratio(ratio)} | ≥ 0.25× | {Met(done && ratio >= 0.25)} |");
        md.AppendLine($"| the fastest Marten write of the same events / COPY (the most an import of events can reach) | " +
                      $"{Ratio(Rows / floors.Min(f => f.Seconds) / copyRate)} | (reported) | |");
        if (!done && processed > 0)
        {
            md.AppendLine();
            md.AppendLine($"The confirm had not finished after {Limit.TotalSeconds:0} s. At its rate over that time the {Rows:N0} rows would take " +
                          $"about {Number(Rows / (processed / confirmSeconds) / 60, "0")} min (a projection, not a measurement).");
        }
        return md.ToString();
    }

    /// <summary>One row of the file: a figure of ADM-03 for a municipality.</summary>
    private sealed record BenchFigure(DateOnly First, decimal Value, string Municipality, string Source)
    {
        public string Period => First.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        public DateOnly AsOf => First.AddMonths(1).AddDays(-1);

        /// <summary>The event the import records for this row.</summary>
        public MeasurementRecorded ToEvent(DateTimeOffset now) =>
            new RecordMeasurement(Indicator, Period, AsOf, Value, Source, null, null, Editor, MunicipalityCode: Municipality)
                .ToEvent(Guid.CreateVersion7(now), now);
    }

    /// <summary>Distinct figures (indicator, municipality, period, source): every municipality, monthly, then the next source.</summary>
    private static List<BenchFigure> BenchFigures(int rows)
    {
        var municipalities = File.ReadLines(Path.Combine(Repository.SeedsDirectory, "municipalities.csv")).Skip(1)
            .Select(l => l.Split(',')[0]).ToArray();
        var figures = new List<BenchFigure>(rows);
        for (var source = 1; figures.Count < rows; source++)
            for (var month = 0; month < 120 && figures.Count < rows; month++)
                foreach (var municipality in municipalities.Take(rows - figures.Count))
                    figures.Add(new(new DateOnly(2015, 1, 1).AddMonths(month), (figures.Count + 1) % 1000 / 10.0m, municipality, $"bench {source}"));
        return figures;
    }

    /// <summary>The file in the columns the import template writes.</summary>
    private static string Csv(IEnumerable<BenchFigure> figures)
    {
        var csv = new StringBuilder("indicator_code,period,as_of,value,municipality,source\n");
        foreach (var f in figures)
            csv.Append(CultureInfo.InvariantCulture, $"{Indicator},{f.Period},{f.AsOf:yyyy-MM-dd},{f.Value:0.0},{f.Municipality},{f.Source}\n");
        return csv.ToString();
    }

    private sealed record EventFloor(string What, double Seconds);

    /// <summary>
    /// The figures as events, written three ways by Marten without the app's checks: through the app's own store in the
    /// import's batches (its inline projections run), through a bare store in the same batches (the events alone), and by
    /// Marten's streaming bulk COPY of events into a bare store (its fastest write). Each is counted back.
    /// </summary>
    private static async Task<List<EventFloor>> EventFloorsAsync(string connectionString, List<BenchFigure> figures, TextWriter log)
    {
        var batch = ImportConfirmedHandler.BatchSizeFor(figures.Count);
        var floors = new List<EventFloor>();
        await using (var app = AppStore.Open(connectionString, Repository.SeedsDirectory))
            floors.Add(await TimedAsync($"`Events.Append` through the app's own store, {batch:N0} a session (its inline projections run)",
                "society5kpi", () => AppendInBatchesAsync(app.Store, figures, batch)));
        await using (var bare = await BareStoreAsync(connectionString, "bench_append"))
            floors.Add(await TimedAsync($"`Events.Append` through a bare store (no projections), {batch:N0} a session",
                "bench_append", () => AppendInBatchesAsync(bare, figures, batch)));
        await using (var bare = await BareStoreAsync(connectionString, "bench_bulk"))
            // All rows in one batch, so its figure is not lowered by the import's batch size.
            floors.Add(await TimedAsync("`BulkInsertEventStreamAsync` (binary COPY of events, a new stream) into a bare store", "bench_bulk",
                () => bare.BulkInsertEventStreamAsync(StorageConstants.DefaultTenantId,
                    [new BulkEventStreamHeader { Key = Indicator, Version = figures.Count }], Stamped(figures).ToAsyncEnumerable(), figures.Count)));
        foreach (var floor in floors) log.WriteLine($"  {floor.What}: {floor.Seconds:0.00} s");
        return floors;

        // The write's time; the stream must have grown by exactly the figures.
        async Task<EventFloor> TimedAsync(string what, string schema, Func<Task> write)
        {
            var count = $"select count(*) from {schema}.mt_events where stream_id = '{Indicator}'";
            var before = await LargePlanLoader.ScalarAsync(connectionString, count);
            var clock = Stopwatch.StartNew();
            await write();
            var seconds = clock.Elapsed.TotalSeconds;
            var appended = await LargePlanLoader.ScalarAsync(connectionString, count) - before;
            if (appended != figures.Count) throw new InvalidOperationException($"{what}: {appended} of {figures.Count} events stored");
            return new(what, seconds);
        }

        static IEnumerable<IEvent> Stamped(List<BenchFigure> figures)
        {
            var now = DateTimeOffset.UtcNow;
            return figures.Select((figure, i) => new Event<MeasurementRecorded>(figure.ToEvent(now))
                { Id = Guid.CreateVersion7(now), StreamKey = Indicator, Version = i + 1, Timestamp = now, UserName = Editor });
        }
    }

    private static async Task AppendInBatchesAsync(IDocumentStore store, List<BenchFigure> figures, int batch)
    {
        foreach (var rows in figures.Chunk(batch))
        {
            var now = DateTimeOffset.UtcNow;
            await using var session = store.LightweightSession();
            session.LastModifiedBy = Editor;
            session.Events.Append(Indicator, rows.Select(f => (object)f.ToEvent(now)).ToArray());
            await session.SaveChangesAsync();
        }
    }

    /// <summary>A store of events only, with the app's event settings, in its own schema, created.</summary>
    private static async Task<DocumentStore> BareStoreAsync(string connectionString, string schema)
    {
        var store = DocumentStore.For(o =>
        {
            o.Connection(connectionString);
            o.DatabaseSchemaName = schema;
            Society5KpiSetup.UseEventSettings(o);
            // Known up front, so the event tables are created with the schema and not on the first append.
            o.Events.AddEventType<MeasurementRecorded>();
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }

    private static async Task<(string State, int Processed, int Recorded)> ProgressAsync(string connectionString, Guid id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "select data->>'State', (data->>'Processed')::int, (data->>'Recorded')::int from society5kpi.mt_doc_importprogress where id = $1",
            connection) { Parameters = { new() { Value = id } } };
        await using var reader = await query.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) throw new InvalidOperationException($"no progress of the import {id} in the store");
        return (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    private static async Task<double> CopySecondsAsync(string connectionString, string csv)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var best = double.MaxValue;
        for (var run = 0; run < 3; run++)
        {
            await using (var create = new NpgsqlCommand(
                             "drop table if exists bench_copy; create table bench_copy (indicator_code text, period text, as_of date, value numeric, municipality text, source text)",
                             connection))
                await create.ExecuteNonQueryAsync();
            var clock = Stopwatch.StartNew();
            await using (var writer = await connection.BeginTextImportAsync("copy bench_copy from stdin (format csv, header true)"))
                await writer.WriteAsync(csv);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            if (await LargePlanLoader.ScalarAsync(connectionString, "select count(*) from bench_copy") != Rows) throw new InvalidOperationException("COPY lost rows");
        }
        return best;
    }

    private static string Truncated(string text) => text.Length > 2000 ? text[..2000] + "…" : text;
}
