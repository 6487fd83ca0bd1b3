using Society5Kpi.Domain;

namespace Society5Kpi.Tests.Domain;

/// <summary>The dotted line on an indicator's chart and the table's "target path" column: where the status method expects the figure.</summary>
public class when_drawing_the_path_to_a_target
{
    private static readonly DateOnly Baseline = new(2020, 3, 31), TargetDate = new(2023, 3, 31);

    private static StatusInputs Level(decimal from, decimal to, Direction direction = Direction.Increase) =>
        new(direction, Measure.Level, from, Baseline, to, TargetDate, []);

    [Fact]
    public void it_starts_at_the_baseline_and_ends_at_the_target()
    {
        IndicatorStatusRules.TargetPathAt(Level(13.5m, 100m), Baseline).ShouldBe(13.5m);
        IndicatorStatusRules.TargetPathAt(Level(13.5m, 100m), TargetDate).ShouldBe(100m);
        IndicatorStatusRules.TargetPathAt(Level(13.5m, 100m), TargetDate.AddYears(2)).ShouldBe(100m, "after the target date it stays there");
        IndicatorStatusRules.TargetPathAt(Level(13.5m, 100m), Baseline.AddDays(-1)).ShouldBeNull("no path before the baseline");
    }

    [Fact]
    public void a_level_grows_at_the_required_rate_so_a_figure_on_the_path_is_on_track()
    {
        var inputs = Level(13.5m, 100m);
        var middle = new DateOnly(2021, 9, 30);
        var onThePath = IndicatorStatusRules.TargetPathAt(inputs, middle)!.Value;
        onThePath.ShouldBeInRange(13.5m, 100m);
        onThePath.ShouldBeLessThan((13.5m + 100m) / 2, "compound growth is slower than a straight line at first");
        var judged = IndicatorStatusRules.Assess(inputs with { Observations = [(middle, onThePath)] });
        judged.Ratio!.Value.ShouldBe(1m, 0.001m);
    }

    [Fact]
    public void a_decrease_falls_toward_its_target()
    {
        var path = IndicatorStatusRules.TargetPathAt(Level(4.8m, 1.0m, Direction.Decrease), new DateOnly(2021, 9, 30))!.Value;
        path.ShouldBeInRange(1.0m, 4.8m);
    }

    [Fact]
    public void a_cumulative_total_grows_in_step_with_its_span_and_a_floor_is_flat()
    {
        var cumulative = new StatusInputs(Direction.Increase, Measure.Cumulative, 73m, new DateOnly(2019, 3, 31), 125m, new DateOnly(2025, 3, 31), [],
            SpanStart: new DateOnly(2020, 4, 1));
        IndicatorStatusRules.TargetPathAt(cumulative, new DateOnly(2020, 4, 1)).ShouldBe(0m);
        IndicatorStatusRules.TargetPathAt(cumulative, new DateOnly(2022, 9, 30))!.Value.ShouldBe(62.5m, 0.2m);
        var floor = new StatusInputs(Direction.Floor, Measure.Level, 160m, Baseline, 150m, TargetDate, []);
        IndicatorStatusRules.TargetPathAt(floor, new DateOnly(2021, 1, 1)).ShouldBe(150m);
        IndicatorStatusRules.TargetPathAt(floor with { Direction = Direction.None }, new DateOnly(2021, 1, 1)).ShouldBeNull();
    }
}
