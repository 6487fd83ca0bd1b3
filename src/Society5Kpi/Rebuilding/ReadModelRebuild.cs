using System.Diagnostics;
using System.Globalization;
using JasperFx.Events;
using Marten;

namespace Society5Kpi.Rebuilding;

/// <summary>
/// Rebuilds every read model from the events: the events are read once, in sequence order, and every registered
/// projection folds them in memory (<see cref="ProjectionFold"/>) and writes its documents by binary COPY; then the
/// municipality counts that a Wolverine handler keeps are recomputed once. The asynchronous projections' daemon marks
/// are set to the last event folded, so the daemon goes on from there. Run it while no one writes (the `rebuild` verb
/// runs in its own process, with no daemon). Reports every few seconds how many events have been folded.
/// </summary>
public sealed class ReadModelRebuild(IDocumentStore store)
{
    /// <summary>How often progress is reported, unless told otherwise.</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    /// <summary>Events read at a time, unless told otherwise.</summary>
    public const int DefaultPage = 20_000;

    /// <param name="page">Events read at a time.</param>
    /// <param name="keptDocuments">Documents each projection holds in memory before it writes them (see <see cref="ProjectionFold"/>).</param>
    public async Task RunAsync(IProgress<string> progress, CancellationToken ct = default, TimeSpan? reportEvery = null,
        int page = DefaultPage, int keptDocuments = ProjectionFold.DefaultKeptDocuments)
    {
        var options = (StoreOptions)store.Options;
        var events = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventSequenceNumber;
        var folds = options.Projections.All.Select(p => ProjectionFold.For(p, store, keptDocuments)).ToList();
        var steps = folds.Count + 1;
        // The folds report from their own continuations: one line at a time.
        var lines = new object();
        void Report(string line) { lock (lines) progress.Report(line); }
        Report($"rebuilding {folds.Count} projections at once from {events:N0} events, read once");

        var watch = Stopwatch.StartNew();
        foreach (var type in folds.SelectMany(f => f.DocumentTypes).Distinct())
            await store.Advanced.Clean.DeleteDocumentsByTypeAsync(type, ct);
        var folded = 0L;
        var reading = TimeSpan.Zero;
        var work = Task.Run(async () =>
        {
            // The next page is read while the folds apply this one.
            var next = ReadPageAsync(store, 0, events, page, ct);
            while (await Waited(next) is { Count: > 0 } read)
            {
                next = ReadPageAsync(store, read[^1].Sequence, events, page, ct);
                // Each fold keeps its own documents, so they apply the page side by side.
                await Task.WhenAll(folds.Select(f => Task.Run(() => f.ApplyAsync(read, ct), ct)));
                Interlocked.Exchange(ref folded, read[^1].Sequence);
            }
            await Task.WhenAll(folds.Select((f, i) => Task.Run(async () =>
            {
                await f.FlushAsync(ct);
                Report($"[{i + 1}/{steps}] {f.Name} rebuilt in {watch.ElapsedMilliseconds:N0} ms ({f.Written:N0} documents; " +
                       $"{f.Folding.TotalSeconds:N1} s of it folding)");
            }, ct)));

            async Task<IReadOnlyList<IEvent>> Waited(Task<IReadOnlyList<IEvent>> pending)
            {
                var started = Stopwatch.GetTimestamp();
                var read = await pending;
                reading += Stopwatch.GetElapsedTime(started);
                return read;
            }
        }, ct);
        while (await Task.WhenAny(work, Task.Delay(reportEvery ?? ReportEvery, ct)) != work)
            Report($"{watch.Elapsed.TotalSeconds:N0} s: {Interlocked.Read(ref folded):N0} of {events:N0} events folded; documents written: " +
                   string.Join(", ", folds.Select(f => $"{f.Name} {f.Written:N0}")));
        await work;

        await using var session = store.LightweightSession();
        // The daemon's projections are rebuilt up to the last event: it goes on from there, not from the start.
        foreach (var shard in store.Advanced.AllAsyncProjectionShardNames())
            session.QueueSqlCommand(
                $"insert into {options.Events.DatabaseSchemaName}.mt_event_progression (name, last_seq_id) values (?, ?) " +
                "on conflict (name) do update set last_seq_id = excluded.last_seq_id", shard.Identity, events);
        await Municipalities.RecordingFacts.MunicipalityCountsHandler.Refresh(session);
        await session.SaveChangesAsync(ct);
        Report($"[{steps}/{steps}] municipality counts recomputed ({reading.TotalSeconds:N1} s waiting for events to be read); all rebuilt in {watch.ElapsedMilliseconds:N0} ms ({Rate(events, watch.Elapsed)})");
    }

    /// <summary>The events after sequence <paramref name="after"/> up to <paramref name="last"/>, at most <paramref name="size"/>, as the rebuild reads them.</summary>
    public static async Task<IReadOnlyList<IEvent>> ReadPageAsync(IDocumentStore store, long after, long last, int size, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        return await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > after && e.Sequence <= last)
            .OrderBy(e => e.Sequence)
            .Take(size)
            .ToListAsync(ct);
    }

    private static string Rate(long events, TimeSpan took) =>
        took.TotalSeconds < 0.001 ? "" : string.Create(CultureInfo.InvariantCulture, $"{events / took.TotalSeconds:N0} events/s");
}
