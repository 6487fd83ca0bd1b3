using Society5Kpi.Domain;

namespace Society5Kpi.Tests.Domain;

public class when_measuring_progress
{
    [Fact]
    public void open_data_municipalities_174_of_179_from_50_is_96_percent_of_the_way()
    {
        var progress = ProgressRules.Toward(Direction.Increase, 50, 179, 174)!;
        progress.Share.ShouldBe(0.9612m);
        progress.Points.ShouldBe(124m);
        progress.RemainingPoints.ShouldBe(5m);
        progress.TargetMet.ShouldBeFalse();
    }

    [Fact]
    public void near_a_ceiling_the_change_in_points_is_given_beside_the_share()
    {
        // Fiber coverage 98.1% toward 100%: 0.5 points more is already a quarter of the way.
        var progress = ProgressRules.Toward(Direction.Increase, 98.1m, 100m, 98.6m)!;
        progress.Share.ShouldBe(0.2632m);
        progress.Points.ShouldBe(0.5m);
        progress.RemainingPoints.ShouldBe(1.4m);
    }

    [Fact]
    public void for_a_decrease_coming_down_is_progress()
    {
        // Pupils per computer: 4.8 toward 1.0.
        var progress = ProgressRules.Toward(Direction.Decrease, 4.8m, 1.0m, 2.9m)!;
        progress.Share.ShouldBe(0.5m);
        progress.Points.ShouldBe(1.9m);
        progress.RemainingPoints.ShouldBe(1.9m);
    }

    [Theory]
    [InlineData(10, 20, 14)]
    [InlineData(3, 11, 5)]
    [InlineData(0, 5, 2)]
    public void increase_and_decrease_are_mirror_images(double baseline, double target, double latest)
    {
        var up = ProgressRules.Toward(Direction.Increase, (decimal)baseline, (decimal)target, (decimal)latest)!;
        var down = ProgressRules.Toward(Direction.Decrease, -(decimal)baseline, -(decimal)target, -(decimal)latest)!;
        down.Share.ShouldBe(up.Share);
        down.Points.ShouldBe(up.Points);
    }

    [Fact]
    public void reaching_the_target_is_all_the_way()
    {
        ProgressRules.Toward(Direction.Increase, 50, 179, 179)!.ShouldSatisfyAllConditions(
            p => p.Share.ShouldBe(1m), p => p.TargetMet.ShouldBeTrue(), p => p.RemainingPoints.ShouldBe(0));
        ProgressRules.Toward(Direction.Decrease, 4.8m, 1m, 1m)!.TargetMet.ShouldBeTrue();
    }

    [Fact]
    public void progress_grows_with_the_latest_value()
    {
        var shares = Enumerable.Range(50, 130)
            .Select(v => ProgressRules.Toward(Direction.Increase, 50, 179, v)!.Share).ToList();
        shares.ShouldBe(shares.OrderBy(s => s).ToList());
    }

    [Fact]
    public void a_floor_is_met_while_the_value_stays_at_or_above_it()
    {
        // Broadband penetration: keep at or above 150% (166.6% in March 2020).
        ProgressRules.Toward(Direction.Floor, 166.6m, 150m, 160m)!.TargetMet.ShouldBeTrue();
        var below = ProgressRules.Toward(Direction.Floor, 166.6m, 150m, 145m)!;
        below.TargetMet.ShouldBeFalse();
        below.RemainingPoints.ShouldBe(5m);
    }

    [Fact]
    public void without_a_latest_value_or_target_there_is_no_progress()
    {
        ProgressRules.Toward(Direction.Increase, 50, 179, null).ShouldBeNull();
        ProgressRules.Toward(Direction.Increase, 50, null, 100).ShouldBeNull();
        ProgressRules.Toward(Direction.None, 50, 179, 100).ShouldBeNull();
    }
}
