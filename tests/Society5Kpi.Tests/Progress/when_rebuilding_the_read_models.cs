using Alba;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.Timeline;
using Society5Kpi.Municipalities.Registering;
using Society5Kpi.Rebuilding;
using Society5Kpi.Roadmap.Planning;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Progress;

public class when_rebuilding_the_read_models(AppFixture app) : AppSpecification(app)
{
    private async Task<string> Snapshot()
    {
        await using var session = App.Store.QuerySession();
        return JsonSerializer.Serialize(new object[]
        {
            await session.Query<IndicatorProgress>().OrderBy(i => i.Id).ToListAsync(),
            await session.Query<RoadmapItem>().OrderBy(i => i.Id).ToListAsync(),
            await session.Query<Municipality>().OrderBy(i => i.Id).ToListAsync(),
            await session.Query<RecordedFigure>().OrderBy(f => f.Sequence).ToListAsync(),
            (await session.Query<IndicatorTimelineEntry>().ToListAsync()).OrderBy(e => e.Sequence)
        });
    }

    [Fact]
    public async Task the_rebuilt_models_equal_the_live_ones()
    {
        await App.RestoreSeedsAsync();
        await Host.RecordPublishedAsync("LIV-03", new { period = "FY2023", asOf = "2024-03-31", value = 1.5, source = "test" });
        await App.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var live = await Snapshot();

        var lines = new List<string>();
        await App.Host.Services.GetRequiredService<ReadModelRebuild>().RunAsync(new CollectingProgress(lines));

        (await Snapshot()).ShouldBe(live);
        lines.ShouldContain(l => l.Contains("IndicatorProgress rebuilt"));
        lines.Last().ShouldContain("municipality counts recomputed");
    }

    [Fact]
    public async Task documents_written_part_way_and_read_back_for_later_events_end_the_same()
    {
        await App.RestoreSeedsAsync();
        var retracted = await Host.RecordPublishedAsync("LIV-03", new { period = "FY2023", asOf = "2024-03-31", value = 1.5, source = "test" });
        // Events enough between the figure and its retraction that they fall in different pages below.
        for (var i = 0; i < 12; i++) await Host.RecordAsync("LIV-03", new { period = "FY2023", asOf = "2024-03-31", value = 1.6m + i, source = $"test {i}" });
        await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(new { reason = "別の指標の値だった" }).ToUrl($"/api/indicators/LIV-03/measurements/{retracted.MeasurementId}/retractions");
            s.StatusCodeShouldBe(200);
        });
        await App.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var live = await Snapshot();

        // Pages of 10 events, each projection writing what it holds after every page: documents are read back for
        // their later events (the figure's review, a municipality's next figure), and the retracted figure is deleted once written.
        await App.Host.Services.GetRequiredService<ReadModelRebuild>().RunAsync(new CollectingProgress([]), page: 10, keptDocuments: 1);

        (await Snapshot()).ShouldBe(live);
    }

    [Fact]
    public async Task it_reports_how_many_events_it_has_folded_while_it_rebuilds()
    {
        await App.RestoreSeedsAsync();

        var lines = new List<string>();
        await App.Host.Services.GetRequiredService<ReadModelRebuild>().RunAsync(new CollectingProgress(lines), reportEvery: TimeSpan.FromMilliseconds(20));

        lines[0].ShouldMatch(@"rebuilding \d+ projections at once from [\d,]+ events");
        // While they rebuild: how far the events have been folded, and what each projection has written so far.
        lines.ShouldContain(l => Regex.IsMatch(l, @"^\d+ s: [\d,]+ of [\d,]+ events folded; documents written: .*RecordedFigureProjection [\d,]+"),
            string.Join("\n", lines));
        lines.ShouldContain(l => Regex.IsMatch(l, @"^\[\d/\d+\] RecordedFigureProjection rebuilt in [\d,]+ ms \([\d,]+ documents; [\d.]+ s of it folding\)"));
        lines.Last().ShouldContain("municipality counts recomputed");
    }

    private sealed class CollectingProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
