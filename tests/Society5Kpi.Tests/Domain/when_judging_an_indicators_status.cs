using Society5Kpi.Domain;

namespace Society5Kpi.Tests.Domain;

public class when_judging_an_indicators_status
{
    // Four calendar years from 2020-01-01 are 1461 days = exactly 4.0 years of 365.25 days, so growth
    // rates can be built exactly: baseline 100 at t0, latest at 4 years, target at 8 years.
    private static readonly DateOnly T0 = new(2020, 1, 1), T4 = new(2024, 1, 1), T8 = new(2028, 1, 1);

    private static StatusInputs Inputs(Direction direction, decimal? baseline, DateOnly? baselineDate,
        decimal? target, DateOnly? targetDate, params (DateOnly, decimal)[] observations) =>
        new(direction, Measure.Level, baseline, baselineDate, target, targetDate, observations);

    /// <summary>Baseline 100 growing (or, for a decrease, falling) at the given yearly rates.</summary>
    private static StatusInputs Grown(Direction direction, decimal observedRate, decimal requiredRate)
    {
        var d = direction == Direction.Decrease ? -1 : 1;
        return Inputs(direction, 100m, T0, Compound(1 + d * requiredRate, 8), T8, (T4, Compound(1 + d * observedRate, 4)));
    }

    private static decimal Compound(decimal factor, int years) =>
        Enumerable.Repeat(factor, years).Aggregate(100m, (value, f) => value * f);

    private static StatusAssessment Assess(StatusInputs inputs) => IndicatorStatusRules.Assess(inputs);

    [Fact]
    public void open_data_municipalities_are_on_track()
    {
        // By hand. t0 = 2020-08-31 (y0 = 50), latest 2024-01-31 (y_i = 174), target 2026-03-31 (y_T = 179).
        //   t_i - t0 = 1248 days / 365.25 = 3.416838 years;  t_T - t0 = 2038 days / 365.25 = 5.579740 years.
        //   CAGR_o = (174/50)^(1/3.416838) - 1 = exp(ln 3.48 / 3.416838) - 1 = exp(1.247032 / 3.416838) - 1
        //          = exp(0.364966) - 1 = 0.440466
        //   CAGR_r = (179/50)^(1/5.579740) - 1 = exp(ln 3.58 / 5.579740) - 1 = exp(1.275363 / 5.579740) - 1
        //          = exp(0.228570) - 1 = 0.256802
        //   R = 0.440466 / 0.256802 = 1.7152  >= 0.95  -> on track (already 124 of the 129 municipalities to go).
        var status = Assess(Inputs(Direction.Increase, 50, new(2020, 8, 31), 179, new(2026, 3, 31), (new(2024, 1, 31), 174)));

        status.Status.ShouldBe(Status.OnTrack);
        status.Method.ShouldBe(IndicatorStatusRules.CagrMethod);
        status.ObservedGrowth.ShouldBe(0.440466m);
        status.RequiredGrowth.ShouldBe(0.256802m);
        status.Ratio.ShouldBe(1.7152m);
        status.Points.ShouldBe(124m);
        status.YearsElapsed.ShouldBe(3.4168m);
        status.YearsToTarget.ShouldBe(5.5797m);
        status.LatestValue.ShouldBe(174m);
        status.LatestDate.ShouldBe(new DateOnly(2024, 1, 31));
    }

    [Fact]
    public void near_a_ceiling_the_points_are_given_beside_the_ratio()
    {
        // Fiber coverage 98.1% (2019-03-31) toward 100% (2026-03-31), 98.6% at 2023-03-31.
        // CAGR_o = (98.6/98.1)^(1/4) - 1 = 0.001272; CAGR_r = (100/98.1)^(1/7.000684) - 1 = 0.002744; R = 0.4635.
        var status = Assess(Inputs(Direction.Increase, 98.1m, new(2019, 3, 31), 100m, new(2026, 3, 31), (new(2023, 3, 31), 98.6m)));

        status.Ratio.ShouldBe(0.4635m);
        status.Status.ShouldBe(Status.LimitedProgress);
        status.Points.ShouldBe(0.5m);
        status.YearsElapsed.ShouldBe(4m);
    }

    [Theory]
    [InlineData(0.095, 0.1)]
    [InlineData(0.09499, 0.1)]
    [InlineData(0.06, 0.1)]
    [InlineData(0.03, 0.1)]
    [InlineData(0, 0.1)]
    [InlineData(-0.02, 0.1)]
    [InlineData(0.15, 0.1)]
    [InlineData(0.01, 0.05)]
    public void a_fall_at_the_rate_of_a_rise_is_judged_the_same(double observedRate, double requiredRate)
    {
        var up = Assess(Grown(Direction.Increase, (decimal)observedRate, (decimal)requiredRate));
        var down = Assess(Grown(Direction.Decrease, (decimal)observedRate, (decimal)requiredRate));

        down.Status.ShouldBe(up.Status);
        down.Ratio.ShouldBe(up.Ratio);
        down.ObservedGrowth.ShouldBe(-up.ObservedGrowth);
        // Points are signed so that positive is better: a fall counts as progress for a decrease.
        Math.Sign(down.Points!.Value).ShouldBe(Math.Sign(observedRate));
        Math.Sign(up.Points!.Value).ShouldBe(Math.Sign(observedRate));
    }

    [Fact]
    public void reaching_the_target_exactly_is_achieved()
    {
        Assess(Inputs(Direction.Increase, 50, new(2020, 8, 31), 179, new(2026, 3, 31), (new(2024, 1, 31), 179)))
            .Status.ShouldBe(Status.Achieved);
        Assess(Inputs(Direction.Decrease, 4.8m, T0, 1m, T8, (T4, 1m))).Status.ShouldBe(Status.Achieved);
        Assess(Inputs(Direction.Decrease, 4.8m, T0, 1m, T8, (T4, 1.01m))).Status.ShouldNotBe(Status.Achieved);
    }

    [Fact]
    public void the_ratio_and_status_only_improve_as_the_latest_value_improves()
    {
        int Rank(Status s) => s switch
        {
            Status.Deterioration => 0, Status.LimitedProgress => 1, Status.AccelerationNeeded => 2,
            Status.OnTrack => 3, Status.Achieved => 4, _ => throw new InvalidOperationException($"unexpected {s}")
        };

        var rising = Enumerable.Range(1, 250).Select(v => Assess(Inputs(Direction.Increase, 50, new(2020, 8, 31), 179,
            new(2026, 3, 31), (new(2024, 1, 31), v)))).ToList();
        rising.Select(a => a.Ratio!.Value).ShouldBe(rising.Select(a => a.Ratio!.Value).Order());
        rising.Select(a => Rank(a.Status)).ShouldBe(rising.Select(a => Rank(a.Status)).Order());
        rising.Select(a => a.Status).Distinct().Count().ShouldBe(5);

        // For a decrease, a lower latest value is better.
        var falling = Enumerable.Range(1, 600).Select(v => Assess(Inputs(Direction.Decrease, 4.8m, T0, 1m, T8,
            (T4, v / 100m)))).ToList();
        falling.Select(a => a.Ratio!.Value).ShouldBe(falling.Select(a => a.Ratio!.Value).OrderDescending());
        falling.Select(a => Rank(a.Status)).ShouldBe(falling.Select(a => Rank(a.Status)).OrderDescending());
    }

    [Theory]
    [InlineData(0.095, Status.OnTrack)]            // R = 0.95 exactly
    [InlineData(0.09499, Status.AccelerationNeeded)] // R = 0.9499
    [InlineData(0.06, Status.AccelerationNeeded)]  // R = 0.60 exactly
    [InlineData(0.05999, Status.LimitedProgress)]  // R = 0.5999
    [InlineData(0, Status.LimitedProgress)]        // R = 0: no change is limited progress
    [InlineData(-0.00001, Status.Deterioration)]   // R = -0.0001
    public void each_threshold_sits_where_open_sdg_puts_it(double observedRate, Status expected)
    {
        // Required growth 10% a year over 8 years; observed over 4 years.
        var status = Assess(Grown(Direction.Increase, (decimal)observedRate, 0.1m));
        status.Ratio.ShouldBe(Math.Round((decimal)observedRate / 0.1m, 4));
        status.Status.ShouldBe(expected);
    }

    [Fact]
    public void a_floor_is_achieved_while_at_or_above_it_and_off_track_below()
    {
        // Broadband penetration: keep at or above 150% (166.6% in March 2020).
        StatusInputs Floor(decimal latest) => Inputs(Direction.Floor, 166.6m, new(2020, 3, 31), 150m, new(2026, 3, 31),
            (new(2024, 3, 31), latest));

        Assess(Floor(160m)).Status.ShouldBe(Status.Achieved);
        Assess(Floor(150m)).Status.ShouldBe(Status.Achieved);
        var below = Assess(Floor(145m));
        below.Status.ShouldBe(Status.OffTrack);
        below.Method.ShouldBe(IndicatorStatusRules.FloorMethod);
        below.Points.ShouldBe(-21.6m);
    }

    [Fact]
    public void with_only_a_baseline_there_is_no_data_yet()
    {
        Assess(Inputs(Direction.Increase, 50, new(2020, 8, 31), 179, new(2026, 3, 31))).Status.ShouldBe(Status.NoDataYet);
        // A figure for the baseline's own date is the baseline again, not a second point.
        Assess(Inputs(Direction.Increase, 50, new(2020, 8, 31), 179, new(2026, 3, 31), (new(2020, 8, 31), 60)))
            .Status.ShouldBe(Status.NoDataYet);
        Assess(Inputs(Direction.Floor, 166.6m, new(2020, 3, 31), 150m, new(2026, 3, 31))).Status.ShouldBe(Status.NoDataYet);
    }

    [Fact]
    public void a_zero_baseline_counts_as_a_thousandth()
    {
        // IND-05 space businesses: 0 (FY2020) toward 5 (FY2024).
        StatusInputs Space(decimal latest) => Inputs(Direction.Increase, 0m, new(2021, 3, 31), 5m, new(2025, 3, 31),
            (new(2023, 3, 31), latest));

        var two = Assess(Space(2m));
        two.Ratio.ShouldNotBeNull();
        double.IsFinite((double)two.Ratio.Value).ShouldBeTrue();
        two.Status.ShouldBe(Status.OnTrack);
        two.Points.ShouldBe(2m);

        var none = Assess(Space(0m));
        none.Ratio.ShouldBe(0m);
        none.Status.ShouldBe(Status.LimitedProgress);
    }

    [Fact]
    public void a_promotion_goal_is_qualitative_and_a_reference_figure_is_not_assessed()
    {
        var qualitative = new StatusInputs(Direction.None, Measure.Qualitative, null, null, null, null, []);
        Assess(qualitative).Status.ShouldBe(Status.Qualitative);

        var reference = Inputs(Direction.None, null, null, null, null, (new(2023, 12, 6), 12m));
        Assess(reference).Status.ShouldBe(Status.NotAssessed);
        Assess(Inputs(Direction.Increase, 3, new(2022, 3, 31), null, null, (new(2023, 12, 6), 12m)))
            .Status.ShouldBe(Status.NotAssessed);
    }

    [Theory]
    // LIV-08 company locations: 125 over FY2020-FY2024 (2020-04-01..2025-03-31, 1825 days); the baseline 73 is
    // the FY2016-FY2018 total. At 2022-09-30, 912 days in: elapsed share = 912/1825 = 0.499726.
    [InlineData(60, 0.9605, Status.OnTrack)]              // (60/125) / 0.499726 = 0.48 / 0.499726
    [InlineData(50, 0.8004, Status.AccelerationNeeded)]   // 0.40 / 0.499726
    [InlineData(30, 0.4803, Status.LimitedProgress)]      // 0.24 / 0.499726
    [InlineData(125, 2.0011, Status.Achieved)]
    public void a_cumulative_target_is_judged_by_the_share_accumulated_over_the_share_of_the_span_elapsed(
        int total, double ratio, Status expected)
    {
        var inputs = new StatusInputs(Direction.Increase, Measure.Cumulative, 73m, new(2019, 3, 31), 125m, new(2025, 3, 31),
            [(new(2021, 3, 31), 20m), (new(2022, 9, 30), total)], SpanStart: new(2020, 4, 1));

        var status = Assess(inputs);
        status.Method.ShouldBe(IndicatorStatusRules.CumulativeMethod);
        status.Ratio.ShouldBe((decimal)ratio);
        status.Status.ShouldBe(expected);
        status.ObservedGrowth.ShouldBeNull();
    }

    [Fact]
    public void the_forecast_band_holds_the_trend_and_the_share_is_the_un_progress_chart_ratio()
    {
        // Two steps: 50 -> 100 -> 174, so the band runs from the slower to the faster step.
        var inputs = Inputs(Direction.Increase, 50, new(2020, 8, 31), 179, new(2026, 3, 31),
            (new(2022, 3, 31), 100), (new(2024, 1, 31), 174));
        var forecast = IndicatorStatusRules.ForecastToTarget(inputs)!;

        forecast.At.ShouldBe(new DateOnly(2026, 3, 31));
        forecast.Low.ShouldBeLessThan(forecast.Value);
        forecast.Value.ShouldBeLessThan(forecast.High);
        forecast.ShareOfTarget.ShouldBe(Math.Round((forecast.Value - 50) / (179 - 50), 4));

        // One observation: the trend ±50%. Decreases too.
        foreach (var single in new[]
                 {
                     Inputs(Direction.Increase, 98.1m, new(2019, 3, 31), 100m, new(2026, 3, 31), (new(2023, 3, 31), 98.6m)),
                     Inputs(Direction.Decrease, 4.8m, T0, 1m, T8, (T4, 2.9m))
                 })
        {
            var f = IndicatorStatusRules.ForecastToTarget(single)!;
            f.Low.ShouldBeLessThan(f.Value);
            f.Value.ShouldBeLessThan(f.High);
            f.ShareOfTarget.ShouldBe(Math.Round((f.Value - single.BaselineValue!.Value) /
                                                (single.TargetValue!.Value - single.BaselineValue.Value), 4));
        }

        // 4.8 -> 2.9 in 4 years carries on to 2.9 * (2.9/4.8)^(4/4) = 1.7521 by the target date.
        IndicatorStatusRules.ForecastToTarget(Inputs(Direction.Decrease, 4.8m, T0, 1m, T8, (T4, 2.9m)))!
            .Value.ShouldBe(1.7521m);
    }

    [Fact]
    public void there_is_no_forecast_without_a_trend_or_past_the_date()
    {
        IndicatorStatusRules.ForecastToTarget(Inputs(Direction.Increase, 50, T0, 179, T8)).ShouldBeNull();
        IndicatorStatusRules.ForecastAt(Inputs(Direction.Increase, 50, T0, 179, T8, (T4, 100)), T4).ShouldBeNull();
    }

    [Theory]
    // Annual: 1 year + 6 months' grace for publication; quarterly 3 + 3 months; monthly 1 + 1 month.
    [InlineData(ReportingFrequency.Annual, "2024-03-31", "2025-09-30", false)]
    [InlineData(ReportingFrequency.Annual, "2024-03-31", "2025-10-01", true)]
    [InlineData(ReportingFrequency.Quarterly, "2024-12-31", "2025-06-30", false)]
    [InlineData(ReportingFrequency.Quarterly, "2024-12-31", "2025-07-01", true)]
    [InlineData(ReportingFrequency.Monthly, "2024-01-31", "2024-03-31", false)]
    [InlineData(ReportingFrequency.Monthly, "2024-01-31", "2024-04-01", true)]
    [InlineData(ReportingFrequency.Irregular, "2015-01-01", "2030-01-01", false)]
    public void a_figure_is_overdue_once_older_than_its_rhythm_and_grace(
        ReportingFrequency frequency, string latestAsOf, string today, bool overdue) =>
        IndicatorStatusRules.IsOverdue(frequency, DateOnly.Parse(latestAsOf), DateOnly.Parse(today)).ShouldBe(overdue);
}
