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
/// every few seconds while a projection rebuilds, how many of the events it has read and at what rate.
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
        progress.Report($"rebuilding {Projections.Length} projections from {events:N0} events (each given at most {shardTimeout.TotalMinutes:N0} min)");
        using var daemon = await store.BuildProjectionDaemonAsync();
        for (var i = 0; i < Projections.Length; i++)
        {
            var step = $"[{i + 1}/{steps}] {Projections[i].Name}";
            var watch = Stopwatch.StartNew();
            progress.Report($"{step} rebuilding ...");
            var before = await SequencesAsync(ct);
            var rebuild = daemon.RebuildProjectionAsync(Projections[i], shardTimeout, ct);
            while (await Task.WhenAny(rebuild, Task.Delay(reportEvery ?? ReportEvery, ct)) != rebuild)
                progress.Report(await MarkAsync(before, ct) is { } done
                    ? $"{step} {done:N0} of {events:N0} events in {watch.Elapsed.TotalSeconds:N0} s ({Rate(done, watch.Elapsed)})"
                    : $"{step} starting, {events:N0} events to read, {watch.Elapsed.TotalSeconds:N0} s");
            await rebuild;
            progress.Report($"{step} rebuilt in {watch.ElapsedMilliseconds:N0} ms ({Rate(events, watch.Elapsed)})");
        }

        await using var session = store.LightweightSession();
        await Municipalities.RecordingFacts.MunicipalityCountsHandler.Refresh(session);
        await session.SaveChangesAsync(ct);
        progress.Report($"[{steps}/{steps}] municipality counts recomputed");
    }

    private async Task<Dictionary<string, long>> SequencesAsync(CancellationToken ct) =>
        (await store.Advanced.AllProjectionProgress(token: ct)).ToDictionary(s => s.ShardName, s => s.Sequence);

    /// <summary>
    /// The rebuilding shard's progression, or null before it has saved one: the mark that moved since the rebuild began (the
    /// daemon starts it again from 0 and saves it after each batch), found that way because the shard's name is the daemon's to choose.
    /// </summary>
    private async Task<long?> MarkAsync(Dictionary<string, long> before, CancellationToken ct) =>
        (await SequencesAsync(ct)).Where(s => before.GetValueOrDefault(s.Key, -1) != s.Value)
            .Select(s => (long?)s.Value).DefaultIfEmpty(null).Max();

    private static string Rate(long events, TimeSpan took) =>
        took.TotalSeconds < 0.001 ? "" : string.Create(CultureInfo.InvariantCulture, $"{events / took.TotalSeconds:N0} events/s");
}
