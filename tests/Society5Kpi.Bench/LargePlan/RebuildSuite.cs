using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Society5Kpi.Rebuilding;

namespace Society5Kpi.Bench.LargePlan;

/// <summary>
/// Goal 5 of issue 13: rebuilding every read model (ReadModelRebuild, what the `rebuild` verb runs) from 1 million
/// events takes at most twice a plain sequential read of the events table (rate ≥ 0.5×), with progress shown while it
/// runs. The plan is the large plan's shape, loaded by <see cref="LargePlanLoader"/>; the documents the loader wrote are
/// compared with the rebuilt ones, so the loader's shortcut is checked too. Two bounds are measured beside it, each a
/// part the rebuild cannot do without: Marten's own read of the events, and PostgreSQL's own COPY of the documents.
/// Sizes: S5K_REBUILD_EVENTS, comma-separated (default 1000000; e.g. 1000000,10000000).
/// </summary>
public sealed class RebuildSuite : IBenchSuite
{
    public string Name => "rebuild";
    public int Order => 50;

    public async Task<string> RunAsync(TextWriter log)
    {
        var sizes = (Environment.GetEnvironmentVariable("S5K_REBUILD_EVENTS") ?? "1000000")
            .Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => LargePlanSize.ForEvents(long.Parse(s, CultureInfo.InvariantCulture)));
        var results = new List<RebuildResult>();
        await using var postgres = await ScaleDatabase.StartPostgresAsync();
        var n = 0;
        foreach (var size in sizes)
        {
            var (connectionString, load) = await ScaleDatabase.CreateAsync(postgres, $"rebuild{++n}", size, log);
            var loaded = await DocumentHashesAsync(connectionString, keepCopy: true);
            var readBefore = await PlainReadAsync(connectionString);
            log.WriteLine($"  plain read of {load.Events:N0} events: {readBefore.TotalSeconds:F1} s");

            await using var app = AppStore.Open(connectionString, ScaleDatabase.SeedsDirectory);
            var martenRead = await MartenReadAsync(app.Store, load.Events);
            log.WriteLine($"  Marten's own read of them, as the rebuild reads them: {martenRead.TotalSeconds:F1} s");
            var progress = new TimedProgress(log);
            var watch = Stopwatch.StartNew();
            string? failure = null;
            try
            {
                await app.Services.GetRequiredService<ReadModelRebuild>().RunAsync(progress);
            }
            catch (Exception e)
            {
                failure = $"{e.GetType().Name}: {e.Message.Split('\n')[0]}";
                log.WriteLine($"  rebuild failed after {watch.Elapsed.TotalSeconds:F0} s: {failure}");
            }
            var rebuild = watch.Elapsed;
            var readAfter = await PlainReadAsync(connectionString);
            log.WriteLine($"  rebuild {rebuild.TotalSeconds:F1} s; plain read again {readAfter.TotalSeconds:F1} s");
            var rebuilt = await DocumentHashesAsync(connectionString, keepCopy: false);
            var documentsCopy = await DocumentsCopyAsync(connectionString, rebuilt.Keys);
            log.WriteLine($"  PostgreSQL's own COPY of the rebuilt documents: {documentsCopy.Took.TotalSeconds:F1} s ({documentsCopy.Tables})");
            var differing = new List<string>();
            foreach (var table in loaded.Keys.Union(rebuilt.Keys).Where(t => loaded.GetValueOrDefault(t) != rebuilt.GetValueOrDefault(t)))
                differing.Add(await FirstDifferenceAsync(connectionString, table));
            results.Add(new RebuildResult(load, readBefore < readAfter ? readBefore : readAfter, martenRead, rebuild, documentsCopy, failure, progress.Lines, differing));
        }
        return Markdown(results);
    }

    /// <summary>Every row of mt_events in sequence order through Npgsql, the JSON read as text, deserialised into nothing.</summary>
    private static async Task<TimeSpan> PlainReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var watch = Stopwatch.StartNew();
        await using var command = new NpgsqlCommand(
            "select seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type, correlation_id, causation_id, headers, user_name " +
            "from society5kpi.mt_events order by seq_id", connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync();
        long rows = 0, characters = 0;
        while (await reader.ReadAsync())
        {
            characters += reader.GetString(4).Length;
            rows++;
        }
        if (rows == 0 || characters == 0) throw new InvalidOperationException("The plain read found no events.");
        return watch.Elapsed;
    }

    /// <summary>Every event read through Marten in the rebuild's pages, one page after the other, folded into nothing.</summary>
    private static async Task<TimeSpan> MartenReadAsync(Marten.IDocumentStore store, long events)
    {
        var watch = Stopwatch.StartNew();
        long after = 0, read = 0;
        while (await ReadModelRebuild.ReadPageAsync(store, after, events, ReadModelRebuild.DefaultPage) is { Count: > 0 } page)
        {
            after = page[^1].Sequence;
            read += page.Count;
        }
        if (read == 0) throw new InvalidOperationException("Marten read no events.");
        return watch.Elapsed;
    }

    /// <summary>
    /// What writing the rebuilt documents costs PostgreSQL alone, the floor of any rebuild that stores them: each document
    /// table copied out to a file on the server (not timed), then COPYed from it into an empty table with the same columns
    /// and indexes, the tables side by side as the rebuild writes them.
    /// </summary>
    private static async Task<DocumentsCopy> DocumentsCopyAsync(string connectionString, IEnumerable<string> tables)
    {
        var files = tables.ToDictionary(t => t, t => Path.Combine(Path.GetTempPath(), $"rebuild-floor-{Guid.NewGuid():N}-{t}.copy"));
        try
        {
            foreach (var (table, file) in files)
                await LargePlanLoader.ExecuteAsync(connectionString,
                    $"copy society5kpi.{table} to '{file}'; " +
                    $"create table society5kpi.floor_{table} (like society5kpi.{table} including all)");
            var watch = Stopwatch.StartNew();
            var each = await Task.WhenAll(files.Select(async f =>
            {
                await LargePlanLoader.ExecuteAsync(connectionString, $"copy society5kpi.floor_{f.Key} from '{f.Value}'");
                return (Table: f.Key, Took: watch.Elapsed);
            }));
            return new DocumentsCopy(watch.Elapsed, each.Where(e => e.Took.TotalSeconds >= 0.1).OrderByDescending(e => e.Took).ToList());
        }
        finally
        {
            foreach (var (table, file) in files)
            {
                await LargePlanLoader.ExecuteAsync(connectionString, $"drop table if exists society5kpi.floor_{table}");
                File.Delete(file);
            }
        }
    }

    /// <summary>
    /// Per document table: row count and an order-independent hash of (id, data); with <paramref name="keepCopy"/>, a copy of
    /// each table (largeplan_loaded_*) to show a difference from.
    /// </summary>
    private static async Task<Dictionary<string, string>> DocumentHashesAsync(string connectionString, bool keepCopy)
    {
        var tables = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var list = new NpgsqlCommand(
            "select table_name from information_schema.tables where table_schema = 'society5kpi' and table_name like 'mt_doc_%' order by 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));

        var hashes = new Dictionary<string, string>();
        foreach (var table in tables)
        {
            await using var hash = new NpgsqlCommand(
                $"select count(*) || ':' || coalesce(sum(('x' || substr(md5(id::text || data::text), 1, 15))::bit(60)::bigint), 0) " +
                $"from society5kpi.{table}", connection) { CommandTimeout = 0 };
            hashes[table] = (string)(await hash.ExecuteScalarAsync())!;
            if (keepCopy)
                await LargePlanLoader.ExecuteAsync(connectionString,
                    $"create table society5kpi.largeplan_loaded_{table} as select id::text as id, data from society5kpi.{table}");
        }
        return hashes;
    }

    /// <summary>The table and the first document whose rebuilt form differs from the loaded one: the top-level fields that differ.</summary>
    private static async Task<string> FirstDifferenceAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select coalesce(l.id, d.id::text), l.data::text, d.data::text from society5kpi.largeplan_loaded_{table} l " +
            $"full join society5kpi.{table} d on d.id::text = l.id where l.data is distinct from d.data limit 1", connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return $"{table} (hash only)";
        var id = reader.GetString(0);
        if (reader.IsDBNull(1) || reader.IsDBNull(2)) return $"{table} (`{id}` {(reader.IsDBNull(1) ? "only rebuilt" : "only loaded")})";
        var loaded = System.Text.Json.JsonDocument.Parse(reader.GetString(1)).RootElement;
        var rebuilt = System.Text.Json.JsonDocument.Parse(reader.GetString(2)).RootElement;
        var fields = loaded.EnumerateObject().Select(p => p.Name).Union(rebuilt.EnumerateObject().Select(p => p.Name))
            .Where(f => (loaded.TryGetProperty(f, out var a) ? a.GetRawText() : null) != (rebuilt.TryGetProperty(f, out var b) ? b.GetRawText() : null))
            .Select(f => $"{f}: {Short(loaded, f)} → {Short(rebuilt, f)}");
        return $"{table} (`{id}`: {string.Join("; ", fields)})";

        static string Short(System.Text.Json.JsonElement e, string field) =>
            e.TryGetProperty(field, out var v) ? (v.GetRawText() is var t && t.Length > 80 ? t[..80] + "…" : v.GetRawText()) : "absent";
    }

    private static string Markdown(IReadOnlyList<RebuildResult> results)
    {
        var md = new StringBuilder();
        md.AppendLine("## Rebuild of every read model (goal 5)");
        md.AppendLine();
        md.AppendLine("The plan of the large plan's shape (100 indicators recorded per municipality, quarterly for 10 years; see pages-at-scale), " +
                      "loaded by the generator. **Rebuild**: `ReadModelRebuild.RunAsync` (what `ops/run rebuild` runs: the events read once in pages of " +
                      $"{ReadModelRebuild.DefaultPage:N0}, every projection folding them in memory with its own Create/Apply methods and writing its " +
                      $"documents by binary COPY, {ProjectionFold.DefaultKeptDocuments:N0} at most held per projection; then the municipality counts), on the app's own store configuration, in the " +
                      "benchmark's process. **Baseline**: a plain sequential read of every row of `society5kpi.mt_events` in sequence order " +
                      "through Npgsql, the JSON read as text and deserialised into nothing (the faster of a read before and after the rebuild). " +
                      "**Documents' COPY**: what writing the rebuilt documents costs PostgreSQL alone, each table COPYed from a file on the " +
                      "server into an empty table with its columns and indexes, the tables side by side; no rebuild that stores these " +
                      "documents can be faster, so plain read / documents' COPY is the highest rate one could reach. **Marten's read**: the " +
                      "events read through Marten as the rebuild reads them (`ReadModelRebuild.ReadPageAsync`), page after page, folded into nothing.");
        md.AppendLine();
        md.AppendLine("| events | load | plain read | rebuild | rate rebuild / plain read | goal ≥ 0.5 | Marten's read (plain read / it) | documents' COPY (plain read / it) | documents after rebuild equal the loader's |");
        md.AppendLine("| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |");
        foreach (var r in results)
        {
            var ratio = r.PlainRead.TotalSeconds / r.Rebuild.TotalSeconds;
            md.AppendLine($"| {r.Load.Events:N0} | {r.Load.Total.TotalSeconds:F0} s ({r.Load.EventsPerSecond:N0}/s) | {r.PlainRead.TotalSeconds:F1} s " +
                          $"({r.Load.Events / r.PlainRead.TotalSeconds:N0}/s) | " +
                          (r.Failure is null ? $"{r.Rebuild.TotalSeconds:F1} s ({r.Load.Events / r.Rebuild.TotalSeconds:N0}/s)" : $"failed after {r.Rebuild.TotalSeconds:F0} s: {r.Failure}") +
                          $" | {(r.Failure is null ? ratio.ToString("F3", CultureInfo.InvariantCulture) : "—")} | " +
                          $"{(r.Failure is null && ratio >= 0.5 ? "met" : "**missed**")} | " +
                          $"{r.MartenRead.TotalSeconds:F1} s ({(r.PlainRead / r.MartenRead).ToString("F3", CultureInfo.InvariantCulture)}) | " +
                          $"{r.DocumentsCopy.Took.TotalSeconds:F1} s ({(r.PlainRead / r.DocumentsCopy.Took).ToString("F3", CultureInfo.InvariantCulture)}) | " +
                          $"{(r.Failure is not null ? "—" : r.Differing.Count == 0 ? "yes" : "**no**: " + string.Join(", ", r.Differing))} |");
        }
        md.AppendLine();
        foreach (var r in results)
            md.AppendLine($"Documents' COPY of {r.Load.Events:N0} events, each table done at: {r.DocumentsCopy.Tables}.");
        foreach (var r in results)
        {
            md.AppendLine();
            md.AppendLine($"Progress lines of the rebuild of {r.Load.Events:N0} events (time since start; the longest silence between two lines " +
                          $"was {r.LongestSilence.TotalSeconds:F1} s):");
            md.AppendLine();
            foreach (var (at, line) in r.Progress) md.AppendLine($"    {at.TotalSeconds,7:F1} s  {line}");
        }
        return md.ToString();
    }

    private sealed record DocumentsCopy(TimeSpan Took, IReadOnlyList<(string Table, TimeSpan Took)> Each)
    {
        public string Tables => string.Join(", ", Each.Select(e => $"{e.Table} {e.Took.TotalSeconds:F1} s"));
    }

    private sealed record RebuildResult(LoadReport Load, TimeSpan PlainRead, TimeSpan MartenRead, TimeSpan Rebuild, DocumentsCopy DocumentsCopy, string? Failure,
        IReadOnlyList<(TimeSpan At, string Line)> Progress, IReadOnlyList<string> Differing)
    {
        public TimeSpan LongestSilence => Progress.Select(p => p.At).Prepend(TimeSpan.Zero).Append(Rebuild)
            .Zip(Progress.Select(p => p.At).Append(Rebuild), (a, b) => b - a).Max();
    }

    /// <summary>The rebuild's own LineProgress, writing to the log, with when each line came.</summary>
    private sealed class TimedProgress(TextWriter log) : IProgress<string>
    {
        private readonly LineProgress _lines = new(log);
        private readonly Stopwatch _since = Stopwatch.StartNew();
        private readonly List<(TimeSpan, string)> _seen = [];

        public IReadOnlyList<(TimeSpan At, string Line)> Lines { get { lock (_seen) return _seen.ToList(); } }

        public void Report(string value)
        {
            lock (_seen) _seen.Add((_since.Elapsed, value));
            _lines.Report("  " + value);
        }
    }
}
