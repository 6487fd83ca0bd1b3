using Alba;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.Timeline;
using Society5Kpi.Measurements.Correcting;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Progress;

/// <summary>Two time axes: the quarter a figure refers to, and the day it became known.</summary>
public class when_a_figure_is_corrected(AppFixture app) : AppSpecification(app)
{
    private const string Fiber = "INF-02";

    protected override bool StartsFromTheSeededPlan => true;

    /// <summary>A Q3 figure entered and published on <paramref name="day"/>.</summary>
    private async Task<MeasurementAccepted> RecordQ3On(DateOnly day, decimal value)
    {
        App.Clock.SetJapanDay(day);
        return await Host.RecordPublishedAsync(Fiber,
            new { period = "FY2023Q3", asOf = "2023-12-31", value, source = "総務省 ブロードバンド基盤整備率調査" });
    }

    /// <summary>The indicator as the secretariat sees it, drafts included.</summary>
    private async Task<IndicatorProgress> FiberNow() =>
        (await Host.Scenario(s => s.As(TestUsers.Editor).Get.Url($"/api/indicators/{Fiber}"))).ReadAsJson<IndicatorProgress>()!;

    private async Task<IScenarioResult> Correct(Guid measurementId, object body, int status) => await Host.Scenario(s =>
    {
        s.As(TestUsers.Editor).Post.Json(body).ToUrl($"/api/indicators/{Fiber}/measurements/{measurementId}/corrections");
        s.StatusCodeShouldBe(status);
    });

    private async Task<PublishedIndicator> FiberAsOf(string day) =>
        (await Host.GetAsJson<PublishedIndicator[]>($"/api/indicators?asOf={day}"))!.Single(i => i.Id == Fiber);

    [Fact]
    public async Task a_q3_figure_corrected_in_q4_shows_the_old_value_in_a_view_dated_before_the_correction()
    {
        var q3 = await RecordQ3On(new DateOnly(2024, 1, 15), 99.1m);
        App.Clock.SetJapanDay(new DateOnly(2024, 2, 20));
        await Correct(q3.MeasurementId, new { value = 99.4, reason = "総務省の確定値に差し替え" }, 200);
        await Host.PublishAsync(Fiber, q3.MeasurementId);

        (await FiberAsOf("2024-01-10")).Latest.ShouldBeNull();
        var before = await FiberAsOf("2024-02-01");
        before.Latest!.Value.ShouldBe(99.1m);
        before.Latest.Period.ShouldBe(Period.FiscalQuarter(2023, 3));
        var after = await FiberAsOf("2024-02-20");
        after.Latest!.Value.ShouldBe(99.4m);
        after.Latest.Period.ShouldBe(Period.FiscalQuarter(2023, 3), "the correction still refers to Q3");

        var now = (await Host.GetAsJson<PublishedIndicator>($"/api/indicators/{Fiber}"))!;
        now.Latest!.Value.ShouldBe(99.4m);
        now.Figures.Single().Value.ShouldBe(99.4m);
        now.Latest.CorrectionReason.ShouldBe("総務省の確定値に差し替え");
        now.Latest.PublishedOn.ShouldBe(new DateOnly(2024, 2, 20), "the day the correction was approved");
    }

    [Fact]
    public async Task the_history_keeps_the_value_before_and_after_with_who_and_why()
    {
        var q3 = await RecordQ3On(new DateOnly(2024, 1, 15), 99.1m);
        await Correct(q3.MeasurementId, new { value = 99.4, reason = "確定値" }, 200);

        var timeline = await Eventually.Get(
            async () => (await Host.Scenario(s => s.As(TestUsers.CouncilMember).Get.Url($"/api/indicators/{Fiber}/timeline")))
                .ReadAsJson<IndicatorTimelineEntry[]>()!,
            t => t!.Any(e => e.Change == TimelineChange.Corrected), "the timeline (async projection) to catch up");

        var corrected = timeline.Single(e => e.Change == TimelineChange.Corrected);
        corrected.ValueBefore.ShouldBe(99.1m);
        corrected.ValueAfter.ShouldBe(99.4m);
        corrected.Reason.ShouldBe("確定値");
        corrected.By.ShouldBe(TestUsers.Editor);
        timeline.First().Change.ShouldBe(TimelineChange.Defined);
    }

    [Fact]
    public async Task a_correction_without_a_reason_is_refused_and_nothing_is_written()
    {
        var q3 = await RecordQ3On(new DateOnly(2024, 1, 15), 99.1m);
        var before = (await App.AllEventsAsync()).Count;

        var result = await Correct(q3.MeasurementId, new { value = 99.4 }, 400);

        result.ReadAsJson<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>()!.Errors.Keys.ShouldContain("reason");
        (await App.AllEventsAsync()).Count.ShouldBe(before);
    }

    [Fact]
    public async Task two_people_correcting_the_same_figure_the_second_is_told_who_changed_it()
    {
        var q3 = await RecordQ3On(new DateOnly(2024, 1, 15), 99.1m);
        var seen = (await FiberNow()).Version;
        await Correct(q3.MeasurementId, new { value = 99.4, reason = "first", expectedVersion = seen }, 200);

        var second = await Correct(q3.MeasurementId, new { value = 99.5, reason = "second", expectedVersion = seen }, 409);

        second.ReadAsText().ShouldContain($"changed by {TestUsers.Editor}");
        (await FiberNow()).Measurements.Single().Value.ShouldBe(99.4m);
    }

    [Fact]
    public async Task a_retracted_figure_leaves_the_progress_but_stays_in_the_history()
    {
        var q3 = await RecordQ3On(new DateOnly(2024, 1, 15), 99.1m);
        App.Clock.SetJapanDay(new DateOnly(2024, 2, 1));
        await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(new { reason = "別の指標の値だった" }).ToUrl($"/api/indicators/{Fiber}/measurements/{q3.MeasurementId}/retractions");
            s.StatusCodeShouldBe(200);
        });

        var fiber = (await Host.GetAsJson<PublishedIndicator>($"/api/indicators/{Fiber}"))!;
        fiber.Latest.ShouldBeNull();
        (await FiberAsOf("2024-01-20")).Latest!.Value.ShouldBe(99.1m, "the view before the retraction still has it");
    }
}

public class when_a_reviewer_overrides_a_status(AppFixture app) : AppSpecification(app)
{
    [Fact]
    public async Task the_override_is_shown_with_the_computed_status_beside_it()
    {
        await App.RestoreSeedsAsync();

        await Host.Scenario(s =>
        {
            s.As(TestUsers.Reviewer).Post.Json(new { status = "AccelerationNeeded", reason = "残り5市町村は小規模で、体制整備に時間を要する" })
                .ToUrl("/api/indicators/DAT-01/status-override");
            s.StatusCodeShouldBe(200);
        });

        var openData = (await Host.GetAsJson<PublishedIndicator>("/api/indicators/DAT-01"))!;
        openData.Status.ShouldBe(Status.AccelerationNeeded);
        openData.StatusOverride!.Reason.ShouldStartWith("残り5市町村");
        openData.Assessment!.Status.ShouldBe(Status.OnTrack);
    }

    [Fact]
    public async Task an_override_needs_a_reason()
    {
        await App.RestoreSeedsAsync();
        var result = await Host.Scenario(s =>
        {
            s.As(TestUsers.Reviewer).Post.Json(new { status = "OffTrack" }).ToUrl("/api/indicators/DAT-01/status-override");
            s.StatusCodeShouldBe(400);
        });
        result.ReadAsJson<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>()!.Errors.Keys.ShouldContain("reason");
    }
}
