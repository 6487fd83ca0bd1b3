using System.Diagnostics;
using System.Threading.Channels;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Npgsql;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.Defining;
using Society5Kpi.Indicators.Timeline;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Municipalities.RecordingFacts;
using Society5Kpi.Municipalities.Registering;
using Weasel.Core;

namespace Society5Kpi.Bench.LargePlan;

/// <param name="EventsDone">When the last event was copied (the read models may still be writing).</param>
/// <param name="Stages">Time by stage; they overlap (events and read models are written on their own connections at once).</param>
public sealed record LoadReport(LargePlanSize Size, long Events, long Documents, TimeSpan EventsDone, TimeSpan Total, string Stages)
{
    public double EventsPerSecond => Events / Total.TotalSeconds;

    public string Line => $"{Events:N0} events and {Documents:N0} read-model documents in {Total.TotalSeconds:F1} s " +
                          $"({EventsPerSecond:N0} events/s; events copied after {EventsDone.TotalSeconds:F1} s)";
}

/// <summary>
/// Loads a generated plan into an empty store the fastest correct way we found:
/// <list type="bullet">
/// <item>events through Marten's streaming bulk import (binary COPY, new streams, one transaction), with the sequence
/// numbers assigned here (PreserveSourceSequence) so the read models can be written beside them;</item>
/// <item>the read models, which bulk import skips, folded here with the projections' own Create/Apply methods
/// (IndicatorProgress, each figure's RecordedFigure, Municipality, the timeline's entries, the municipality counts) and written by
/// binary COPY too, on a second connection while the events are being copied;</item>
/// <item>the asynchronous timeline projection's progress set to the last sequence, since its entries are written here.</item>
/// </list>
/// A rebuild of the same events gives the same documents (the rebuild suite checks it).
/// </summary>
public static class LargePlanLoader
{
    /// <summary>Time by stage of the last load (generate and fold on their own threads, inserts on their connections, overlapping).</summary>
    private static class Stages
    {
        public static TimeSpan Fold, Generate;
        public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeSpan> Insert = new();

        public static void Reset()
        {
            Fold = Generate = TimeSpan.Zero;
            Insert.Clear();
        }
    }

    private const int CopyBatch = 20_000;

    public static async Task<LoadReport> LoadAsync(IDocumentStore store, string connectionString, LargePlanGenerator plan, TextWriter log,
        CancellationToken ct = default)
    {
        var watch = Stopwatch.StartNew();
        Stages.Reset();
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        if (await ScalarAsync(connectionString, "select count(*) from society5kpi.mt_events", ct) != 0)
            throw new InvalidOperationException("The large plan is loaded into an empty store only.");

        var size = plan.Size;
        var headers = plan.Municipalities
            .Select(m => new BulkEventStreamHeader { Key = m.Code, Version = 1, AggregateType = typeof(Municipality) })
            .Concat(Enumerable.Range(0, size.Indicators).Select(i => new BulkEventStreamHeader
                { Key = LargePlanGenerator.CodeOf(i), Version = size.EventsOfIndicator(i), AggregateType = typeof(IndicatorProgress) }))
            .ToList();

        // Streams go to the read-model writer as they are copied; a short queue keeps memory to a few streams.
        var streams = Channel.CreateBounded<IReadOnlyList<IEvent>>(2);
        var readModels = Task.Run(() => WriteReadModelsAsync(store, streams.Reader, log, ct), ct);
        var sequence = 0L;
        var eventsDone = TimeSpan.Zero;
        try
        {
            await store.BulkInsertEventStreamAsync(JasperFx.StorageConstants.DefaultTenantId, headers, Sequenced(), BulkEventSequenceMode.PreserveSourceSequence,
                CopyBatch, ct);
            eventsDone = watch.Elapsed;
        }
        finally
        {
            streams.Writer.TryComplete();
        }
        var documents = await readModels;

        // The timeline's entries are written above: its daemon shard starts after the last event, not from zero.
        foreach (var shard in store.Advanced.AllAsyncProjectionShardNames())
            await ExecuteAsync(connectionString,
                $"insert into society5kpi.mt_event_progression (name, last_seq_id) values ('{shard.Identity}', {sequence}) " +
                $"on conflict (name) do update set last_seq_id = {sequence}", ct);
        await ExecuteAsync(connectionString, "analyze", ct);
        var stages = $"generate {Stages.Generate.TotalSeconds:F0} s, fold {Stages.Fold.TotalSeconds:F0} s, " +
                     string.Join(", ", Stages.Insert.OrderByDescending(kv => kv.Value).Select(kv => $"COPY {kv.Key} {kv.Value.TotalSeconds:F0} s"));
        var report = new LoadReport(size, sequence, documents, eventsDone, watch.Elapsed, stages);
        log.WriteLine($"  loaded {size}: {report.Line}");
        log.WriteLine($"  stages: {stages}");
        return report;

        async IAsyncEnumerable<IEvent> Sequenced()
        {
            var municipalities = plan.Municipalities.SelectMany(plan.MunicipalityStream).ToList();
            foreach (var e in municipalities) { e.Sequence = ++sequence; yield return e; }
            await streams.Writer.WriteAsync(municipalities, ct);
            for (var i = 0; i < size.Indicators; i++)
            {
                var generate = Stopwatch.StartNew();
                var events = plan.IndicatorStream(i);
                Stages.Generate += generate.Elapsed;
                foreach (var e in events) e.Sequence = ++sequence;
                await streams.Writer.WriteAsync(events, ct);
                foreach (var e in events) yield return e;
                if ((i + 1) % 10 == 0) log.WriteLine($"  {i + 1}/{size.Indicators} indicators, {sequence:N0} events, {watch.Elapsed.TotalSeconds:F0} s");
            }
        }
    }

    /// <summary>Folds each stream with the projections' own methods and writes the documents; returns how many.</summary>
    private static async Task<long> WriteReadModelsAsync(IDocumentStore store, ChannelReader<IReadOnlyList<IEvent>> streams, TextWriter log,
        CancellationToken ct)
    {
        // The timeline's entries and the figures' own documents (one per event, one per figure) are the most rows:
        // each a writer of its own, on its own connection.
        var (timelineBatches, timelineWriter) = Writer<IndicatorTimelineEntry>(store, ct);
        var (figureBatches, figureWriter) = Writer<RecordedFigure>(store, ct);

        var timeline = new IndicatorTimelineProjection();
        var recordedFigures = new RecordedFigureProjection();
        var figureDocuments = new List<RecordedFigure>();
        var written = 0L;
        var indicators = new List<IndicatorProgress>();
        var entries = new List<IndicatorTimelineEntry>();
        try
        {
            await foreach (var stream in streams.ReadAllAsync(ct))
            {
                if (stream[0].Data is MunicipalityRegistered)
                {
                    written += await InsertAsync(store,
                        stream.Select(e => Municipality.Create((MunicipalityRegistered)e.Data) with { Version = e.Version }).ToList(), ct);
                    continue;
                }

                var fold = Stopwatch.StartNew();
                IndicatorProgress? indicator = null;
                foreach (var e in stream)
                {
                    switch (e)
                    {
                        case IEvent<IndicatorDefined> defined:
                            indicator = IndicatorProgress.Create(defined.Data);
                            entries.Add(timeline.Create(defined));
                            break;
                        case IEvent<BaselineSet> baseline: indicator = indicator!.Apply(baseline.Data); break;
                        case IEvent<TargetSet> target: indicator = indicator!.Apply(target.Data); break;
                        case IEvent<MeasurementRecorded> recorded:
                            indicator = indicator!.Apply(recorded.Data);
                            figureDocuments.Add(recordedFigures.Create(recorded));
                            entries.Add(timeline.Create(recorded));
                            break;
                        default: throw new InvalidOperationException($"The generator makes no {e.EventType.Name}: fold it here too.");
                    }
                }
                indicators.Add(indicator! with { Version = stream[^1].Version });
                Stages.Fold += fold.Elapsed;

                if (entries.Count >= CopyBatch * 5)
                {
                    await timelineBatches.Writer.WriteAsync(entries, ct);
                    entries = [];
                }
                if (figureDocuments.Count >= CopyBatch * 5)
                {
                    await figureBatches.Writer.WriteAsync(figureDocuments, ct);
                    figureDocuments = [];
                }
            }
            written += await InsertAsync(store, indicators, ct);
            await timelineBatches.Writer.WriteAsync(entries, ct);
            await figureBatches.Writer.WriteAsync(figureDocuments, ct);
        }
        finally
        {
            figureBatches.Writer.TryComplete();
            timelineBatches.Writer.TryComplete();
        }
        written += await timelineWriter;
        written += await figureWriter;

        // What the Wolverine handler keeps after each municipality event: recomputed once from the documents.
        await using var session = store.LightweightSession();
        await MunicipalityCountsHandler.Refresh(session);
        await session.SaveChangesAsync(ct);
        return written + 1;
    }

    /// <summary>A writer of batches of documents on a connection of its own: the batches queue up to two deep.</summary>
    private static (Channel<List<T>> Batches, Task<long> Written) Writer<T>(IDocumentStore store, CancellationToken ct) where T : notnull
    {
        var batches = Channel.CreateBounded<List<T>>(2);
        var written = Task.Run(async () =>
        {
            var count = 0L;
            await foreach (var batch in batches.Reader.ReadAllAsync(ct)) count += await InsertAsync(store, batch, ct);
            return count;
        }, ct);
        return (batches, written);
    }

    private static async Task<long> InsertAsync<T>(IDocumentStore store, IReadOnlyCollection<T> documents, CancellationToken ct) where T : notnull
    {
        var watch = Stopwatch.StartNew();
        if (documents.Count > 0) await store.BulkInsertAsync(documents, BulkInsertMode.InsertsOnly, CopyBatch, ct);
        Stages.Insert.AddOrUpdate(typeof(T).Name, watch.Elapsed, (_, t) => t + watch.Elapsed);
        return documents.Count;
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct));
    }

    public static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
