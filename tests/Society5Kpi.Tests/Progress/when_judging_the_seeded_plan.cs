using Alba;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Summaries;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Progress;

public class when_judging_the_seeded_plan(AppFixture app) : AppSpecification(app)
{
    protected override bool StartsFromTheSeededPlan => true;

    private async Task<PublishedIndicator[]> IndicatorsAsOf(string day) =>
        (await Host.GetAsJson<PublishedIndicator[]>($"/api/indicators?asOf={day}"))!;

    /// <summary>
    /// Checked by hand at 2024-01-31. DAT-01: baseline 50 at 2020-08-31, 174 at 2024-01-31, target 179 at 2026-03-31.
    /// t_i - t_0 = 1248 d / 365.25 = 3.4168 y, t_T - t_0 = 2038 d / 365.25 = 5.5797 y;
    /// CAGR_o = (174/50)^(1/3.4168) - 1 = 0.4405; CAGR_r = (179/50)^(1/5.5797) - 1 = 0.2568; R = 1.7152 >= 0.95: on track.
    /// Every other plan indicator has only its baseline by then (no data yet), or is a promotion goal (qualitative).
    /// Reference figures have no target: not assessed.
    /// </summary>
    [Theory]
    [InlineData("DAT-01", Status.OnTrack, 1.7152)]
    [InlineData("LIV-03", Status.NoDataYet, null)]
    [InlineData("INF-01", Status.NoDataYet, null)]
    [InlineData("INF-02", Status.NoDataYet, null)]
    [InlineData("LIV-01", Status.Qualitative, null)]
    [InlineData("DAT-02", Status.Qualitative, null)]
    [InlineData("REF-01", Status.NotAssessed, null)]
    [InlineData("REF-05", Status.NotAssessed, null)]
    public async Task the_statuses_at_the_end_of_january_2024_are_the_hand_checked_ones(string code, Status status, double? ratio)
    {
        var indicator = (await IndicatorsAsOf("2024-01-31")).Single(i => i.Id == code);

        indicator.Status.ShouldBe(status);
        indicator.Assessment!.Ratio.ShouldBe(ratio is null ? null : (decimal)ratio.Value);
    }

    [Fact]
    public async Task every_status_carries_the_method_and_its_inputs()
    {
        var openData = (await IndicatorsAsOf("2024-01-31")).Single(i => i.Id == "DAT-01").Assessment!;

        openData.Method.ShouldBe(IndicatorStatusRules.CagrMethod);
        openData.BaselineValue.ShouldBe(50m);
        openData.BaselineDate.ShouldBe(new DateOnly(2020, 8, 31));
        openData.LatestValue.ShouldBe(174m);
        openData.LatestDate.ShouldBe(new DateOnly(2024, 1, 31));
        openData.TargetValue.ShouldBe(179m);
        openData.TargetDate.ShouldBe(new DateOnly(2026, 3, 31));
        openData.YearsElapsed.ShouldBe(3.4168m);
        openData.YearsToTarget.ShouldBe(5.5797m);
        openData.Points.ShouldBe(124m);
    }

    [Fact]
    public async Task the_forecast_of_a_count_of_municipalities_stops_at_179()
    {
        var forecast = (await Host.GetAsJson<PublishedIndicator>("/api/indicators/DAT-01"))!.Forecast!;
        forecast.At.ShouldBe(new DateOnly(2026, 3, 31));
        forecast.Value.ShouldBe(179m);
        forecast.High.ShouldBeLessThanOrEqualTo(179m);
        forecast.Low.ShouldBeLessThanOrEqualTo(forecast.Value);
    }

    [Fact]
    public async Task the_view_at_the_council_meeting_of_2024_01_17_shows_only_the_figures_known_then()
    {
        var then = await IndicatorsAsOf("2024-01-17");

        // The 174 municipalities were counted at the end of January 2024: not known at the meeting.
        var openData = then.Single(i => i.Id == "DAT-01");
        openData.Latest.ShouldBeNull();
        openData.Status.ShouldBe(Status.NoDataYet);
        // The platform survey (closed 2023-12-06) and the data inventory (2023-12-25) were.
        then.Single(i => i.Id == "REF-01").Latest!.Value.ShouldBe(12m);
        then.Single(i => i.Id == "REF-05").Latest!.Value.ShouldBe(1000m);
        then.Single(i => i.Id == "REF-06").Latest.ShouldBeNull();

        var meetings = await Host.GetAsJson<CouncilMeetings.CouncilMeeting[]>("/api/council-meetings");
        meetings!.Select(m => m.Date).ShouldBe([new DateOnly(2023, 2, 8), new DateOnly(2024, 1, 17)]);
    }

    [Fact]
    public async Task a_view_before_the_plan_tracked_any_figure_shows_baselines_only()
    {
        var then = await IndicatorsAsOf("2023-02-08");
        then.Length.ShouldBe(36);
        // Only the ministry's card series (ADM-03) was published before the plan tracked anything: its latest then is 2022-12-31.
        then.Where(i => i.Id != "ADM-03").ShouldAllBe(i => i.Latest == null);
        then.Single(i => i.Id == "ADM-03").Latest!.AsOf.ShouldBe(new DateOnly(2022, 12, 31));
    }

    [Fact]
    public async Task an_as_of_date_that_is_not_a_date_is_a_400_naming_it()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/api/indicators?asOf=17/01/2024");
            s.StatusCodeShouldBe(400);
        });
        result.ReadAsJson<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>()!.Errors.Keys.ShouldContain("asOf");
    }

    [Fact]
    public async Task the_plan_and_area_summaries_follow_each_change_at_once()
    {
        var summaries = (await Host.GetAsJson<PlanSummary[]>("/api/summaries"))!;
        var plan = summaries.Single(s => s.Id == PlanSummary.WholePlan);
        plan.ByStatus[Status.Qualitative].ShouldBe(9);
        plan.ByStatus[Status.OnTrack].ShouldBe(1);
        plan.ByStatus[Status.NoDataYet].ShouldBe(19);
        // ADM-03, the card rate: 13.5 % (FY2019) to 55.7 % (2022-12-31) against 100 % for FY2022.
        plan.CodesByStatus[Status.AccelerationNeeded].ShouldBe(["ADM-03"]);
        summaries.Single(s => s.Id == "living").Indicators.ShouldBe(8);
        // Today (2026) every annual baseline-only indicator is long overdue: due this quarter.
        summaries.Single(s => s.Id == "living").DueThisQuarter!.ShouldContain("LIV-03");

        // Pupils per computer: 4.8 (FY2019) toward 1.0 (FY2025); 1.2 at the end of FY2023 is on track.
        await Host.RecordPublishedAsync("LIV-03",
            new { period = "FY2023", asOf = "2024-03-31", value = 1.2, source = "文部科学省 学校における教育の情報化の実態等に関する調査" });

        // Counted from the same documents as the table, in the same read: no lag behind the approval.
        var living = (await Host.GetAsJson<PlanSummary[]>("/api/summaries"))!;
        living.Single(x => x.Id == "living").CodesByStatus[Status.OnTrack].ShouldBe(["LIV-03"]);
        living.Single(x => x.Id == PlanSummary.WholePlan).ByStatus[Status.OnTrack].ShouldBe(2);
    }

    [Fact]
    public async Task indicators_whose_figure_is_late_are_overdue_and_due_this_quarter()
    {
        App.Clock.SetJapanDay(new DateOnly(2024, 11, 24));
        var due = (await Host.GetAsJson<Indicators.Listing.IndicatorDue[]>("/api/indicators/due"))!;

        // Annual figures are overdue 18 months after the last one: LIV-03's baseline is FY2019 (2020-03-31).
        due.Single(d => d.Code == "LIV-03").Timeliness.ShouldBe(new Timeliness(true, new DateOnly(2021, 9, 30), true));
        due.ShouldNotContain(d => d.Code == "LIV-01"); // qualitative: milestones, not figures
        due.ShouldNotContain(d => d.Code == "DAT-01"); // 2024-01-31 + 18 months = 2025-07-31: not this quarter
    }
}
