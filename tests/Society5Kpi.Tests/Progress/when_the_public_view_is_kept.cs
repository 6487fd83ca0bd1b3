using Alba;
using Society5Kpi.Indicators;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Progress;

/// <summary>
/// The public view of an indicator is computed once per state of its stream and kept (PublishedViews): every write
/// to the stream must show at once, on the live view, the as-of view and the breakdown alike.
/// </summary>
public class when_the_public_view_is_kept(AppFixture app) : AppSpecification(app)
{
    private const string Fiber = "INF-02";
    private const string Cards = "ADM-03";

    protected override bool StartsFromTheSeededPlan => true;

    private async Task<PublishedIndicator> Public(string code, string? asOf = null) =>
        (await Host.GetAsJson<PublishedIndicator[]>("/api/indicators" + (asOf is null ? "" : $"?asOf={asOf}")))!.Single(i => i.Id == code);

    [Fact]
    public async Task an_approved_figure_shows_at_once_on_the_list_and_on_the_indicator_read_before()
    {
        var before = await Public(Fiber);
        (await Public(Fiber)).Latest.ShouldBe(before.Latest, "read twice, the same view");

        App.Clock.SetJapanDay(new DateOnly(2024, 6, 10));
        var figure = await Host.RecordAsync(Fiber, new { period = "FY2024Q1", asOf = "2024-06-01", value = 98.7, source = "総務省" });
        (await Public(Fiber)).Latest.ShouldBe(before.Latest, "a draft changes the stream, not the public view");

        await Host.PublishAsync(Fiber, figure.MeasurementId);
        (await Public(Fiber)).Latest!.Value.ShouldBe(98.7m);
        (await Host.GetAsJson<PublishedIndicator>($"/api/indicators/{Fiber}"))!.Latest!.Value.ShouldBe(98.7m);
    }

    [Fact]
    public async Task a_correction_approved_today_shows_on_the_view_as_of_today_read_before_it()
    {
        App.Clock.SetJapanDay(new DateOnly(2024, 6, 10));
        var figure = await Host.RecordPublishedAsync(Fiber, new { period = "FY2024Q1", asOf = "2024-06-01", value = 98.7, source = "総務省" });
        (await Public(Fiber, "2024-06-10")).Latest!.Value.ShouldBe(98.7m);

        await Host.Scenario(s =>
        {
            s.As(TestUsers.SecondEditor).Post.Json(new { value = 98.8, reason = "確定値" })
                .ToUrl($"/api/indicators/{Fiber}/measurements/{figure.MeasurementId}/corrections");
            s.StatusCodeShouldBe(200);
        });
        await Host.PublishAsync(Fiber, figure.MeasurementId);

        (await Public(Fiber, "2024-06-10")).Latest!.Value.ShouldBe(98.8m);
        (await Public(Fiber, "2024-06-09")).Latest?.Value.ShouldNotBe(98.8m, "a day before, the figure was not known");
    }

    [Fact]
    public async Task a_municipality_figure_approved_after_the_breakdown_was_read_shows_on_it()
    {
        var breakdown = $"/api/indicators/{Cards}/municipalities";
        var sapporo = (await Host.GetAsJson<IndicatorBreakdown>(breakdown))!.Municipalities.Single(m => m.Code == "011002");

        var figure = await Host.RecordAsync(Cards, new
        {
            period = "令和5年3月", asOf = "2023-03-31", value = 70.1, municipality = "011002", numerator = 1_370_000, denominator = 1_954_000
        });
        await Host.PublishAsync(Cards, figure.MeasurementId, "011002");

        var now = (await Host.GetAsJson<IndicatorBreakdown>(breakdown))!.Municipalities.Single(m => m.Code == "011002");
        now.Value.ShouldBe(70.1m);
        now.AsOf.ShouldNotBe(sapporo.AsOf);
    }
}
