using System.Net;
using Alba;
using Marten;
using Society5Kpi.Indicators;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Measurements;

public class when_recording_a_measurement(AppFixture app) : AppSpecification(app)
{
    private const string Research = "IND-06"; // industry-academia-government joint research: 1,543 (FY2018) -> 1,700 (FY2024)
    private const string Fiber = "INF-02";    // households covered by fiber: 98.1% (2019-03) -> 100%
    private const string OpenData = "DAT-01"; // municipalities doing open data: counted from municipality facts

    protected override bool StartsFromTheSeededPlan => true;

    private Task<IScenarioResult> Post(string code, object body, int expectedStatus) => Host.Scenario(s =>
    {
        s.As(TestUsers.Editor).Post.Json(body).ToUrl($"/api/indicators/{code}/measurements");
        s.StatusCodeShouldBe(expectedStatus);
    });

    /// <summary>The indicator as the secretariat sees it, drafts included.</summary>
    private async Task<IndicatorProgress> Indicator(string code) =>
        (await Host.Scenario(s => s.As(TestUsers.Editor).Get.Url($"/api/indicators/{code}"))).ReadAsJson<IndicatorProgress>()!;

    [Fact]
    public async Task the_figure_is_in_the_event_stream_and_in_the_progress()
    {
        var before = await Indicator(Research);

        var accepted = await Host.RecordAsync(Research, new
        {
            period = "FY2023", asOf = "2024-03-31", value = 1620, source = "道 産業振興課 集計", note = "spec"
        });

        await using var session = App.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(Research);
        var recorded = events.Last().Data.ShouldBeOfType<MeasurementRecorded>();
        recorded.Value.ShouldBe(1620m);
        recorded.Period.ToString().ShouldBe("FY2023");
        recorded.AsOf.ShouldBe(new DateOnly(2024, 3, 31));
        recorded.Source.ShouldBe("道 産業振興課 集計");
        recorded.RecordedBy.ShouldBe(TestUsers.Editor);
        recorded.MeasurementId.ShouldBe(accepted.MeasurementId);

        // Entered, not yet checked: a draft; progress is still judged on published figures only (none yet).
        var draft = await Indicator(Research);
        draft.MeasurementCount.ShouldBe(before.MeasurementCount + 1);
        draft.Version.ShouldBe(accepted.Version);
        draft.LatestDraft!.Value.ShouldBe(1620m);
        draft.LatestDraft.Review.ShouldBe(ReviewState.Draft);
        draft.Latest.ShouldBeNull();
        draft.Progress.ShouldBeNull();

        await Host.PublishAsync(Research, accepted.MeasurementId);

        var published = await Indicator(Research);
        published.LatestDraft.ShouldBeNull();
        published.Latest!.Value.ShouldBe(1620m);
        published.Progress!.Share.ShouldBe(Math.Round(77m / 157m, 4));
        published.Progress.RemainingPoints.ShouldBe(80m);
    }

    [Fact]
    public async Task a_percentage_near_its_ceiling_shows_progress_in_points()
    {
        await Host.RecordPublishedAsync(Fiber, new { period = "FY2023", asOf = "2024-03-31", value = 99.2, source = "総務省" });
        var fiber = await Indicator(Fiber);
        fiber.Progress!.Points.ShouldBe(1.1m);
        fiber.Progress.RemainingPoints.ShouldBe(0.8m);
    }

    public static TheoryData<string, object, string> BadInput => new()
    {
        { Research, new { period = "FY2023", asOf = "2099-01-01", value = 1620 }, "asOf" },
        { Research, new { period = "FY2023", value = 1620 }, "asOf" },
        { Research, new { period = "Q4 2023", asOf = "2024-03-31", value = 1620 }, "period" },
        { Research, new { asOf = "2024-03-31", value = 1620 }, "period" },
        { Research, new { period = "FY2023", asOf = "2023-01-01", value = 1620 }, "asOf" },
        { Research, new { period = "FY2023", asOf = "2024-03-31" }, "value" },
        { Research, new { period = "FY2023", asOf = "2024-03-31", value = 1620.5 }, "value" },
        { OpenData, new { period = "FY2023Q4", asOf = "2024-03-31", value = 176 }, "value" },
        { Research, new { period = "FY2023", asOf = "2024-03-31", value = -3 }, "value" },
        { Research, new { period = "FY2023", asOf = "2024-03-31", value = "many" }, "value" },
        { Research, new { period = "FY2023", asOf = "31/03/2024", value = 1620 }, "asOf" },
        { "LIV-01", new { period = "FY2023", asOf = "2024-03-31", value = 3 }, "value" },
        { "XYZ-99", new { period = "FY2023", asOf = "2024-03-31", value = 1620 }, "indicatorCode" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public Task bad_input_is_refused_with_the_field_named_and_nothing_is_written(string code, object body, string field) =>
        App.ShouldBeRefusedAsync(() => Post(code, body, 400), field);

    [Fact]
    public Task a_body_that_is_not_json_is_refused() => App.ShouldBeRefusedAsync(() => Host.Scenario(s =>
    {
        s.As(TestUsers.Editor).Post.Text("period=FY2023&value=1620").ToUrl($"/api/indicators/{Research}/measurements");
        s.StatusCodeShouldBe(400);
    }), "body");

    [Fact]
    public async Task a_writer_that_saw_an_older_version_gets_409_and_nothing_is_written()
    {
        var seen = (await Indicator(Research)).Version;
        await Post(Research, new { period = "FY2023", asOf = "2024-03-31", value = 1620, expectedVersion = seen }, 201);

        var result = await Post(Research, new { period = "FY2023", asOf = "2024-03-31", value = 1621, expectedVersion = seen }, 409);

        result.ReadAsText().ShouldContain("Reload");
        (await Indicator(Research)).Measurements.Select(m => m.Value).ShouldNotContain(1621m);
    }

    [Fact]
    public async Task two_concurrent_writers_with_the_same_version_one_wins_the_other_gets_409_and_nothing_is_lost()
    {
        var seen = (await Indicator(Research)).Version;
        var countBefore = (await Indicator(Research)).MeasurementCount;

        // Several rounds: each round, two writers race from the version both of them saw.
        for (var round = 0; round < 5; round++)
        {
            var values = new[] { 100 + round * 2, 101 + round * 2 };
            var results = await Task.WhenAll(values.Select(v => Host.Scenario(s =>
            {
                s.As(TestUsers.Editor).Post.Json(new { period = "FY2023", asOf = "2024-03-31", value = v, expectedVersion = seen })
                    .ToUrl($"/api/indicators/{Research}/measurements");
                s.IgnoreStatusCode();
            })));

            var statuses = results.Select(r => r.Context.Response.StatusCode).OrderBy(s => s).ToArray();
            statuses.ShouldBe([201, 409], $"round {round}: {string.Join(" | ", results.Select(r => r.ReadAsText()))}");
            var conflict = results.Single(r => r.Context.Response.StatusCode == 409);
            conflict.Context.Response.ContentType!.ShouldStartWith("application/problem+json");
            var winner = results.Single(r => r.Context.Response.StatusCode == 201).ReadAsJson<MeasurementAccepted>()!;
            seen = winner.Version;
        }

        var indicator = await Indicator(Research);
        indicator.MeasurementCount.ShouldBe(countBefore + 5);
        indicator.Measurements.Select(m => m.MeasurementId).Distinct().Count().ShouldBe(indicator.MeasurementCount);
        await using var session = App.Store.QuerySession();
        var stream = await session.Events.FetchStreamAsync(Research);
        stream.OfType<JasperFx.Events.IEvent>().Count(e => e.Data is MeasurementRecorded).ShouldBe(indicator.MeasurementCount);
        stream.Select(e => e.Version).ShouldBe(Enumerable.Range(1, stream.Count).Select(v => (long)v));
    }

    [Fact]
    public async Task eight_writers_at_once_without_an_expected_version_are_all_recorded_one_after_another()
    {
        var countBefore = (await Indicator(Research)).MeasurementCount;

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Host.Scenario(s =>
        {
            s.As(i % 2 == 0 ? TestUsers.Editor : TestUsers.SecondEditor)
                .Post.Json(new { period = $"2023-{i + 1:D2}", asOf = $"2023-{i + 1:D2}-28", value = 1600 + i, source = "道 集計" })
                .ToUrl($"/api/indicators/{Research}/measurements");
            s.IgnoreStatusCode();
        })));

        results.Select(r => r.Context.Response.StatusCode).ShouldAllBe(status => status == 201,
            string.Join(" | ", results.Select(r => r.ReadAsText())));
        var indicator = await Indicator(Research);
        indicator.MeasurementCount.ShouldBe(countBefore + 8);
        await using var session = App.Store.QuerySession();
        var stream = await session.Events.FetchStreamAsync(Research);
        stream.Select(e => e.Version).ShouldBe(Enumerable.Range(1, stream.Count).Select(v => (long)v), "no gap, no duplicate");
    }

    [Fact]
    public async Task the_indicator_list_shows_every_indicator_with_its_latest_value()
    {
        var list = await Host.GetAsJson<PublishedIndicator[]>("/api/indicators");
        list!.Length.ShouldBe(36);
        list.Single(i => i.Id == OpenData).Latest!.Value.ShouldBe(174m);
    }

    [Fact]
    public async Task an_unknown_indicator_is_404_on_read()
    {
        await Host.Scenario(s =>
        {
            s.Get.Url("/api/indicators/NOPE-1");
            s.StatusCodeShouldBe(404);
        });
    }

    [Fact]
    public async Task health_reports_the_database()
    {
        var result = await Host.Scenario(s => s.Get.Url("/health"));
        result.ReadAsText().ShouldBe("Healthy");
    }
}
