using System.Diagnostics;
using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Municipalities.Figures;
using Society5Kpi.Seeds;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Municipalities;

/// <summary>
/// ADM-03 マイナンバーカードの普及率 as the ministry published it, for Hokkaido and for each of its 179 municipalities,
/// and figures a municipality's staff enter: the same review, corrections and time travel as the prefecture's.
/// </summary>
public class when_recording_figures_per_municipality(AppFixture app) : AppSpecification(app)
{
    private const string Cards = "ADM-03";
    private const string Sapporo = "011002";

    protected override bool StartsFromTheSeededPlan => true;

    private Task<IndicatorBreakdown> Breakdown(string? asOf = null) =>
        Host.GetAsJson<IndicatorBreakdown>($"/api/indicators/{Cards}/municipalities" + (asOf is null ? "" : $"?asOf={asOf}"))!;

    [Fact]
    public async Task the_card_series_is_imported_for_hokkaido_and_each_of_its_179_municipalities()
    {
        var cards = (await Host.GetAsJson<PublishedIndicator>($"/api/indicators/{Cards}"))!;
        cards.Figures.Count.ShouldBe(46);
        cards.Figures.ShouldAllBe(f => f.Source == MyNumberCardSeries.Source);
        // The plan's baseline, 13.5 % for FY2019, is the ministry's figure of 2020-04-01 (the count that closes FY2019).
        var baseline = cards.Figures.Single(f => f.AsOf == new DateOnly(2020, 4, 1));
        baseline.Value.ShouldBe(cards.Baseline!.Value!.Value);
        baseline.Period.ShouldBe(Period.Month(2020, 3));
        baseline.Period.End.ShouldBe(cards.Baseline.Period.End);
        cards.Latest!.Value.ShouldBe(55.7m);
        cards.Latest.Numerator.ShouldBe(2_888_648m);
        cards.Latest.Denominator.ShouldBe(5_183_687m);
        cards.Breakdown!.PrefectureFigure.ShouldBe(PrefectureFigure.Recorded);

        await using var session = App.Store.QuerySession();
        var municipal = (await MunicipalFigures.OfIndicatorsAsync(session, [Cards])).Values.ToList();
        municipal.Count.ShouldBe(179);
        municipal.Sum(f => f.Measurements.Count).ShouldBe(8_234);
        municipal.ShouldAllBe(f => f.Measurements.Count == 46 && f.Latest!.AsOf == new DateOnly(2022, 12, 31));
    }

    [Fact]
    public async Task on_every_date_the_municipalities_add_up_to_the_prefecture_figure()
    {
        var check = (await Host.GetAsJson<Society5Kpi.Domain.BreakdownCheckLine[]>($"/api/indicators/{Cards}/municipalities/check"))!;
        check.Length.ShouldBe(46);
        check.Where(c => !c.Agrees).ShouldBeEmpty(string.Join("\n", check.Where(c => !c.Agrees).Select(c => $"{c.AsOf}: {c.Problem}")));
        check.ShouldAllBe(c => c.Derived!.Municipalities == 179 && c.Derived.Numerator == c.RecordedNumerator);
    }

    [Fact]
    public async Task the_breakdown_lists_the_179_with_their_latest_published_figure_and_the_prefecture_figure()
    {
        var breakdown = await Breakdown();
        breakdown.Municipalities.Count.ShouldBe(179);
        var sapporo = breakdown.Municipalities.Single(m => m.Code == Sapporo);
        sapporo.Name.ShouldBe("札幌市");
        sapporo.Subprefecture.ShouldBe("石狩振興局");
        sapporo.AsOf.ShouldBe(new DateOnly(2022, 12, 31));
        sapporo.Numerator.ShouldNotBeNull();
        sapporo.Denominator.ShouldNotBeNull();
        breakdown.Prefecture!.Value.ShouldBe(55.7m);
        breakdown.Derived!.Numerator.ShouldBe(2_888_648m, "Σ cards issued of the 179");
        breakdown.Derived.Value.ShouldBe(55.7m);
    }

    [Fact]
    public async Task as_of_a_day_the_figures_known_then_are_shown_for_the_prefecture_and_each_municipality()
    {
        // The ministry's count of 2021-01-01 was known from the next day; the one of 2021-02-01 not yet.
        var then = (await Host.GetAsJson<PublishedIndicator[]>("/api/indicators?asOf=2021-01-15"))!.Single(i => i.Id == Cards);
        then.Latest!.Value.ShouldBe(21.2m);
        then.Latest.AsOf.ShouldBe(new DateOnly(2021, 1, 1));

        var breakdown = await Breakdown("2021-01-15");
        breakdown.AsOf.ShouldBe(new DateOnly(2021, 1, 15));
        breakdown.Municipalities.ShouldAllBe(m => m.AsOf == new DateOnly(2021, 1, 1));
        breakdown.Derived!.Value.ShouldBe(21.2m);
    }

    [Fact]
    public async Task a_figure_entered_for_a_municipality_is_public_only_once_approved_and_a_correction_waits_for_approval_too()
    {
        var figure = await Host.RecordAsync(Cards, new
        {
            period = "令和5年3月", asOf = "2023-03-31", value = 70.1, municipality = Sapporo, numerator = 1_370_000, denominator = 1_954_000,
            source = "札幌市 区役所集計"
        });
        (await Breakdown()).Municipalities.Single(m => m.Code == Sapporo).AsOf.ShouldBe(new DateOnly(2022, 12, 31), "a draft is not public");
        (await Host.GetAsJson<PublishedIndicator>($"/api/indicators/{Cards}"))!.Latest!.Value.ShouldBe(55.7m, "the prefecture figure is its own");

        await Host.ReviewAsync(Cards, figure.MeasurementId, "submission", TestUsers.Editor, new { municipality = Sapporo });
        // The same roles as for the prefecture's figures: an editor cannot approve.
        await Host.ReviewAsync(Cards, figure.MeasurementId, "approval", TestUsers.Editor, new { municipality = Sapporo }, status: 403);
        await Host.ReviewAsync(Cards, figure.MeasurementId, "approval", TestUsers.Reviewer, new { municipality = Sapporo });
        var approved = (await Breakdown()).Municipalities.Single(m => m.Code == Sapporo);
        approved.Value.ShouldBe(70.1m);
        approved.Period.ShouldBe(Period.Month(2023, 3));

        await Host.Scenario(s =>
        {
            s.As(TestUsers.SecondEditor).Post.Json(new { value = 70.2, reason = "確定値", municipality = Sapporo })
                .ToUrl($"/api/indicators/{Cards}/measurements/{figure.MeasurementId}/corrections");
            s.StatusCodeShouldBe(200);
        });
        (await Breakdown()).Municipalities.Single(m => m.Code == Sapporo).Value.ShouldBe(70.1m, "the correction is not approved yet");

        var municipality = (await Host.GetAsJson<MunicipalityView>($"/api/municipalities/{Sapporo}"))!;
        var sapporoCards = municipality.Figures.Single(f => f.IndicatorCode == Cards);
        sapporoCards.Figures.Count.ShouldBe(47);
        sapporoCards.Latest!.Value.ShouldBe(70.1m);
    }

    [Fact]
    public async Task a_municipality_figure_is_refused_for_an_indicator_without_a_breakdown_or_a_municipality_that_does_not_exist()
    {
        await App.ShouldBeRefusedAsync(() => Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(new { period = "FY2023", asOf = "2024-03-31", value = 99, municipality = Sapporo })
                .ToUrl("/api/indicators/INF-02/measurements");
            s.StatusCodeShouldBe(400);
        }), "municipalityCode");
        await App.ShouldBeRefusedAsync(() => Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(new { period = "FY2023", asOf = "2024-03-31", value = 50, municipality = "016951" })
                .ToUrl($"/api/indicators/{Cards}/measurements");
            s.StatusCodeShouldBe(400);
        }), "municipalityCode");
        await App.ShouldBeRefusedAsync(() => Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(new { period = "FY2023", asOf = "2024-03-31", value = 50, municipality = Sapporo, numerator = 5 })
                .ToUrl($"/api/indicators/{Cards}/measurements");
            s.StatusCodeShouldBe(400);
        }), "denominator");
    }

    [Fact]
    public async Task a_prefecture_figure_derived_from_the_municipalities_is_shown_as_derived_with_its_inputs()
    {
        // A rate the prefecture does not publish itself: Hokkaido's figure is Σ numerators / Σ denominators.
        using var scope = Host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync<Society5Kpi.Indicators.Defining.IndicatorDefinitionResult>(
            new Society5Kpi.Indicators.Defining.DefineIndicator("REF-90", Area.Data, "試験", "Test", "試験の率", "Test rate", "%", "%",
                Direction.Increase, Measure.Level, ReportingFrequency.Annual, false, null, null, null, null, null, null, null, "spec",
                Breakdown: new MunicipalBreakdown(PrefectureFigure.Derived, "分子", "numerator", "分母", "denominator")));
        foreach (var (municipality, numerator, denominator) in new[] { (Sapporo, 600m, 1000m), ("012025", 10m, 100m) })
        {
            var recorded = await Host.RecordAsync("REF-90", new { period = "FY2023", asOf = "2024-03-31", value = numerator / denominator * 100, municipality, numerator, denominator });
            await Host.PublishAsync("REF-90", recorded.MeasurementId, municipality);
        }

        var derived = (await Host.GetAsJson<PublishedIndicator>("/api/indicators/REF-90"))!.Latest!;
        derived.Value.ShouldBe(55.5m); // 610 / 1100, not the average of 60 % and 10 %
        derived.Numerator.ShouldBe(610m);
        derived.Denominator.ShouldBe(1100m);
        derived.DerivedFromMunicipalities.ShouldBe(2);
        derived.Source.ShouldBe(PublicPlan.DerivedSource);
    }
}
