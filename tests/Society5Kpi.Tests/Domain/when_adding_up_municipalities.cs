using Society5Kpi.Domain;

namespace Society5Kpi.Tests.Domain;

public class when_adding_up_municipalities
{
    private static readonly DateOnly Day = new(2022, 12, 31);
    private static readonly Period Month = Period.Month(2022, 12);

    [Fact]
    public void a_prefecture_rate_is_the_sum_of_the_parts_not_the_average_of_the_rates()
    {
        // A city of 1,000,000 at 50 % and a village of 1,000 at 100 %: the average of rates would say 75 %.
        var derived = MunicipalAggregation.Derive(
        [
            new RatePart("011002", Day, Month, 50.0m, 500_000, 1_000_000),
            new RatePart("016993", Day, Month, 100.0m, 1_000, 1_000)
        ], scale: 100).Single();

        derived.Value.ShouldBe(50.0m);
        derived.Numerator.ShouldBe(501_000m);
        derived.Denominator.ShouldBe(1_001_000m);
        derived.Municipalities.ShouldBe(2);
    }

    [Fact]
    public void parts_without_a_numerator_or_denominator_are_left_out_and_each_date_stands_alone()
    {
        var derived = MunicipalAggregation.Derive(
        [
            new RatePart("011002", Day, Month, 40.0m, 40, 100),
            new RatePart("012025", Day, Month, 90.0m, null, null),
            new RatePart("011002", Day.AddMonths(-1), Period.Month(2022, 11), 30.0m, 30, 100)
        ], scale: 100);

        derived.Select(d => (d.AsOf, d.Value, d.Municipalities)).ShouldBe([(Day.AddMonths(-1), 30.0m, 1), (Day, 40.0m, 1)]);
    }

    [Fact]
    public void the_check_reports_each_date_where_the_recorded_figure_and_the_parts_disagree()
    {
        var derived = MunicipalAggregation.Derive(
        [
            new RatePart("011002", Day, Month, 55.0m, 550, 1000),
            new RatePart("012025", Day, Month, 60.0m, 600, 1000)
        ], scale: 100);

        var agrees = MunicipalAggregation.Check([(Day, Month, 57.5m, 1150m, 2000m)], derived, municipalities: 2, scale: 100).Single();
        agrees.Agrees.ShouldBeTrue(agrees.Problem);

        var cards = MunicipalAggregation.Check([(Day, Month, 57.5m, 1151m, 2000m)], derived, 2, 100).Single();
        cards.Agrees.ShouldBeFalse();
        cards.Problem.ShouldBe("the municipalities' numerators add up to 1150, not 1151");

        MunicipalAggregation.Check([(Day, Month, 57.6m, null, null)], derived, 2, 100).Single().Problem.ShouldBe("the municipalities' parts give 57.5, not 57.6");
        MunicipalAggregation.Check([(Day, Month, 57.5m, null, null)], derived, 179, 100).Single().Problem.ShouldBe("2 of 179 municipalities have a figure");
        MunicipalAggregation.Check([(Day.AddDays(-1), Month, 57.5m, null, null)], derived, 2, 100).Single().Problem.ShouldBe("no municipal figures on this date");
    }

    [Theory]
    [InlineData("%", 100)]
    [InlineData("pupils/PC", 1)]
    public void a_percentage_is_parts_per_hundred(string unit, int scale) => MunicipalAggregation.ScaleOf(unit).ShouldBe(scale);
}
