using System.Diagnostics;
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
/// the municipality counts that a Wolverine handler keeps, by running its recomputation once. Reports as it goes.
/// </summary>
public sealed class ReadModelRebuild(IDocumentStore store)
{
    private static readonly Type[] Projections =
        [typeof(IndicatorProgress), typeof(RecordedFigureProjection), typeof(Municipalities.Figures.MunicipalFiguresProjection), typeof(RoadmapItem), typeof(Municipality),
         typeof(CouncilMeeting), typeof(IndicatorTimelineProjection)];

    public async Task RunAsync(IProgress<string> progress, CancellationToken ct = default)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        for (var i = 0; i < Projections.Length; i++)
        {
            var watch = Stopwatch.StartNew();
            progress.Report($"[{i + 1}/{Projections.Length + 1}] rebuilding {Projections[i].Name} ...");
            await daemon.RebuildProjectionAsync(Projections[i], TimeSpan.FromMinutes(5), ct);
            progress.Report($"[{i + 1}/{Projections.Length + 1}] {Projections[i].Name} rebuilt in {watch.ElapsedMilliseconds} ms");
        }

        await using var session = store.LightweightSession();
        await Municipalities.RecordingFacts.MunicipalityCountsHandler.Refresh(session);
        await session.SaveChangesAsync(ct);
        progress.Report($"[{Projections.Length + 1}/{Projections.Length + 1}] municipality counts recomputed");
    }
}
