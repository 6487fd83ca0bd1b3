using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;
using Society5Kpi.Bench.Support;
using Society5Kpi.Infrastructure;
using static Society5Kpi.Bench.Support.Markdown;

namespace Society5Kpi.Bench;

/// <summary>
/// Goal 4 of issue 13: a bulk import of <see cref="Rows"/> CSV rows through the secretariat's path for a file
/// (POST /api/imports/measurements, the preview, then its confirm, recorded in the background), against PostgreSQL's own
/// COPY of the same rows into a plain table on the same server. The app runs as its own process, so its peak memory is its own.
/// </summary>
public sealed class ImportBench : IBenchSuite
{
    public string Name => "import";
    public int Order => 4;

    private static readonly int Rows = Settings.Int("BENCH_IMPORT_ROWS", 100_000);
    // The confirm is followed this long at most; a slower import is reported with how far it got.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(Settings.Int("BENCH_IMPORT_SECONDS", 180));
    private const string Password = "bench password 1234";

    public async Task<string> RunAsync(TextWriter log)
    {
        await using var postgres = await BenchPostgres.StartAsync();
        var dll = ChildApp.BuiltApp;
        log.WriteLine("importing the seeded plan, creating the editor (the app's verbs)");
        await ChildApp.RunVerbAsync(dll, postgres.ConnectionString, ["import"]);
        await ChildApp.RunVerbAsync(dll, postgres.ConnectionString, ["user", "add", "bench-editor", "--role", "editor"],
            new Dictionary<string, string> { ["SOCIETY5KPI_PASSWORD"] = Password });
        var csv = MunicipalFiguresCsv(Rows);
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
            var cookie = await Session.SignInAsync(app.BaseAddress, "bench-editor", Password);
            using var http = Session.Client(app.BaseAddress, cookie);

            // A one-row preview first, not recorded: the first request of a fresh process generates the handlers' code and
            // compiles the queries (seconds on this machine; the cold start is goal 6's measurement, not this one's).
            using (var warmUp = new ByteArrayContent(Encoding.UTF8.GetBytes(MunicipalFiguresCsv(1))))
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
        var stored = await ScalarAsync(postgres.ConnectionString,
            "select count(*) from society5kpi.mt_events where stream_id = 'ADM-03' and data->>'Source' like 'bench %'");
        var (_, _, saved) = await ProgressAsync(postgres.ConnectionString, id);
        if (stored != saved || state == "Done" && stored != Rows)
            throw new InvalidOperationException($"the import's progress says {saved} rows recorded, the store holds {stored} of its events");

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
        md.AppendLine("| goal | ratio | target | |");
        md.AppendLine("| --- | ---: | ---: | --- |");
        md.AppendLine($"| import / COPY, rows/s{(done ? "" : " (over the rows recorded within the limit)")} | {Ratio(ratio)} | ≥ 0.25× | {Met(done && ratio >= 0.25)} |");
        if (!done && processed > 0)
        {
            md.AppendLine();
            md.AppendLine($"The confirm had not finished after {Limit.TotalSeconds:0} s. At its rate over that time the {Rows:N0} rows would take " +
                          $"about {Number(Rows / (processed / confirmSeconds) / 60, "0")} min (a projection, not a measurement).");
        }
        return md.ToString();
    }

    /// <summary>Distinct figures (indicator, municipality, period, source) in the columns the import template writes.</summary>
    private static string MunicipalFiguresCsv(int rows)
    {
        var municipalities = File.ReadLines(Path.Combine(Repository.SeedsDirectory, "municipalities.csv")).Skip(1)
            .Select(l => l.Split(',')[0]).ToArray();
        var csv = new StringBuilder("indicator_code,period,as_of,value,municipality,source\n");
        var written = 0;
        for (var source = 1; written < rows; source++)
            for (var month = 0; month < 120 && written < rows; month++)
            {
                var first = new DateOnly(2015, 1, 1).AddMonths(month);
                var asOf = first.AddMonths(1).AddDays(-1);
                foreach (var municipality in municipalities)
                {
                    if (written++ == rows) break;
                    csv.Append(CultureInfo.InvariantCulture,
                        $"ADM-03,{first:yyyy-MM},{asOf:yyyy-MM-dd},{(written % 1000) / 10.0:0.0},{municipality},bench {source}\n");
                }
            }
        return csv.ToString();
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
            if (await ScalarAsync(connectionString, "select count(*) from bench_copy") != Rows) throw new InvalidOperationException("COPY lost rows");
        }
        return best;
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static string Truncated(string text) => text.Length > 2000 ? text[..2000] + "…" : text;
}
