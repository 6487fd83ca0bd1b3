using System.Diagnostics;
using System.Globalization;
using Marten;
using Society5Kpi.CouncilMeetings;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.Timeline;
using Society5Kpi.Municipalities.Registering;
using Society5Kpi.Roadmap.Planning;
using Society5Kpi.Summaries;

namespace Society5Kpi.Rebuilding;

/// <summary>
/// Rebuilds every read model from the events: the Marten projections through the projection daemon, then
/// the municipality counts that a Wolverine handler keeps, by running its recomputation once. Reports as it goes:
/// every few seconds, how many of the events each projection still rebuilding has read; and each one's time and rate.
/// </summary>
public sealed class ReadModelRebuild(IDocumentStore store)
{
    private static readonly Type[] Projections =
        [typeof(IndicatorProgress), typeof(RecordedFigureProjection), typeof(Municipalities.Figures.MunicipalFiguresProjection), typeof(RoadmapItem), typeof(Municipality),
         typeof(CouncilMeeting), typeof(IndicatorTimelineProjection)];

    /// <summary>How often a rebuilding projection's progress is reported, unless told otherwise.</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(5);

    // Marten gives up on a shard after the time it is given (5 minutes by default, which failed at 1 million events). Here
    // the time grows with the events: only a rebuild slower than this rate throughout is taken as stuck.
    private const double SlowestEventsPerSecond = 100;

    public async Task RunAsync(IProgress<string> progress, CancellationToken ct = default, TimeSpan? reportEvery = null)
    {
        var events = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventSequenceNumber;
        var shardTimeout = TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(events / SlowestEventsPerSecond);
        var steps = Projections.Length + 1;
        // The projections report from their own continuations: one line at a time.
        var lines = new object();
        void Report(string line) { lock (lines) progress.Report(line); }
        Report($"rebuilding {Projections.Length} projections at once from {events:N0} events (each given at most {shardTimeout.TotalMinutes:N0} min)");
        using var daemon = await store.BuildProjectionDaemonAsync();
        var watch = Stopwatch.StartNew();
        var before = await SequencesAsync(ct);
        // Each projection reads the events on its own and writes its own tables, so they rebuild side by side: the
        // rebuild takes as long as the slowest one, not the sum (the figures' three projections are most of it).
        var rebuilds = Projections.Select(async (projection, i) =>
        {
            var step = $"[{i + 1}/{steps}] {projection.Name}";
            var own = Stopwatch.StartNew();
            Report($"{step} rebuilding ...");
            await daemon.RebuildProjectionAsync(projection, shardTimeout, ct);
            Report($"{step} rebuilt in {own.ElapsedMilliseconds:N0} ms ({Rate(events, own.Elapsed)})");
        }).ToList();
        var all = Task.WhenAll(rebuilds);
        while (await Task.WhenAny(all, Task.Delay(reportEvery ?? ReportEvery, ct)) != all)
            Report(await MarksAsync(before, events, ct) is { Length: > 0 } marks
                ? $"{watch.Elapsed.TotalSeconds:N0} s: {marks}"
                : $"{watch.Elapsed.TotalSeconds:N0} s: starting, {events:N0} events to read");
        await all;

        await using var session = store.LightweightSession();
        await Municipalities.RecordingFacts.MunicipalityCountsHandler.Refresh(session);
        await session.SaveChangesAsync(ct);
        Report($"[{steps}/{steps}] municipality counts recomputed; all rebuilt in {watch.ElapsedMilliseconds:N0} ms ({Rate(events, watch.Elapsed)})");
    }

    private async Task<Dictionary<string, long>> SequencesAsync(CancellationToken ct) =>
        (await store.Advanced.AllProjectionProgress(token: ct)).ToDictionary(s => s.ShardName, s => s.Sequence);

    /// <summary>
    /// How far each rebuilding shard has got, by the marks that moved since the rebuild began (the daemon starts a shard
    /// again from 0 and saves its mark after each batch); a shard's name is the daemon's to choose, and names the projection.
    /// </summary>
    private async Task<string> MarksAsync(Dictionary<string, long> before, long events, CancellationToken ct) =>
        string.Join(", ", (await SequencesAsync(ct))
            .Where(s => before.GetValueOrDefault(s.Key, -1) != s.Value && s.Value < events)
            .OrderBy(s => s.Key)
            .Select(s => $"{s.Key} {s.Value:N0} of {events:N0} events"));

    private static string Rate(long events, TimeSpan took) =>
        took.TotalSeconds < 0.001 ? "" : string.Create(CultureInfo.InvariantCulture, $"{events / took.TotalSeconds:N0} events/s");
}
