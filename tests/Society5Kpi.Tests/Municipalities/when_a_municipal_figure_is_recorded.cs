using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Measurements.Recording;
using Society5Kpi.Municipalities.Figures;

namespace Society5Kpi.Tests.Municipalities;

public class when_a_municipal_figure_is_recorded
{
    private static readonly DateTimeOffset Start = new(2024, 4, 1, 9, 0, 0, TimeSpan.FromHours(9));

    private static MeasurementRecorded Recorded(DateOnly asOf, bool published, DateTimeOffset at, decimal value) => new(
        "ADM-03", Guid.NewGuid(), Period.Month(asOf.Year, asOf.Month), asOf, value, "test", null, "editor", at, at, published, "011002");

    [Fact]
    public void the_latest_figures_kept_as_it_goes_are_those_of_the_whole_list()
    {
        // Seeded, so a failure can be replayed: dates out of order, ties on a date, drafts recorded at the same moment.
        var random = new Random(20261202);
        var figures = MunicipalFigures.Empty("ADM-03", "011002");
        for (var i = 0; i < 500; i++)
        {
            var asOf = new DateOnly(2020, 1, 1).AddMonths(random.Next(24));
            var at = Start.AddMinutes(random.Next(50));
            figures = figures.Apply(Recorded(asOf, random.Next(2) == 0, at, i));

            figures.Latest.ShouldBe(figures.Measurements.LatestPublished(), $"after figure {i}");
            figures.LatestDraft.ShouldBe(figures.Measurements.LatestDraft(), $"after figure {i}");
        }
    }
}
