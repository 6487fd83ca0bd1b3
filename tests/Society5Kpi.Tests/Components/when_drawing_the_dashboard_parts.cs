using System.Globalization;
using Bunit;
using Society5Kpi.Components.Dashboard;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;

namespace Society5Kpi.Tests.Components;

/// <summary>The small parts every council page is made of, rendered on their own (bUnit), in Japanese and in English.</summary>
public class when_drawing_the_dashboard_parts : IDisposable
{
    private readonly BunitContext _context = new();
    private readonly CultureInfo _culture = CultureInfo.CurrentUICulture;

    public when_drawing_the_dashboard_parts() => CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("ja-JP");

    public void Dispose()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = _culture;
        _context.Dispose();
    }

    private static PublishedIndicator Indicator(Status status, Forecast? forecast = null, PublishedStatusOverride? statusOverride = null) => new(
        "ADM-03", Area.Administration, "施策", "Policy", "マイナンバーカードの普及率", "My Number Card penetration rate", "%", "%",
        Direction.Increase, Measure.Level, ReportingFrequency.Monthly, true, null, null, null, null,
        new Baseline(13.5m, Period.FiscalYear(2019), null), new Target(100m, Period.FiscalYear(2022)), [], null, null,
        new StatusAssessment(status, IndicatorStatusRules.CagrMethod, 0.67m, 0.95m, 0.7091m, 42.2m, 13.5m, new DateOnly(2020, 3, 31),
            55.7m, new DateOnly(2022, 12, 31), 100m, new DateOnly(2023, 3, 31), 2.75m, 3m),
        forecast, statusOverride, []);

    [Theory]
    [InlineData(Status.OnTrack, "順調")]
    [InlineData(Status.AccelerationNeeded, "進展あり・加速が必要")]
    [InlineData(Status.NoDataYet, "データ不足")]
    public void the_status_badge_names_the_status_in_its_colour(Status status, string text)
    {
        var badge = _context.Render<StatusBadge>(p => p.Add(b => b.Indicator, Indicator(status))).Find("span.badge");
        badge.TextContent.ShouldBe(text);
        badge.GetAttribute("style").ShouldBe($"--status:{Society5Kpi.Components.Ui.StatusColour(status)}");
        badge.ClassList.ShouldContain($"status-{status.ToString().ToLowerInvariant()}");
    }

    [Fact]
    public void a_reviewers_override_is_shown_with_the_computed_status_beside_it_and_no_reviewer_name()
    {
        var overridden = Indicator(Status.OnTrack, statusOverride: new PublishedStatusOverride(Status.AccelerationNeeded, "残りは小規模", new DateOnly(2024, 2, 1)));
        var markup = _context.Render<StatusBadge>(p => p.Add(b => b.Indicator, overridden)).Markup;
        markup.ShouldContain("進展あり・加速が必要");
        markup.ShouldContain("計算上は「順調」");
        markup.ShouldContain("残りは小規模");
    }

    [Theory]
    [InlineData(0.4879, 42.2, "48.8%", "width:48.8%")]
    [InlineData(1.2, 5, "120.0%", "width:100%")]
    [InlineData(-0.1, -1, "-10.0%", "width:0%")]
    public void the_progress_bar_shows_the_share_and_the_points_and_stays_inside_its_track(double share, double points, string text, string width)
    {
        var bar = _context.Render<ProgressBar>(p => p.Add(b => b.Indicator, Indicator(Status.OnTrack))
            .Add(b => b.Progress, new Society5Kpi.Domain.Progress((decimal)share, (decimal)points, 0, false)));
        bar.Find(".share").TextContent.ShouldBe(text);
        bar.Find(".bar > span").GetAttribute("style").ShouldBe(width);
        bar.Find(".points").TextContent.ShouldContain(points >= 0 ? "+" : "-");
        bar.Find(".progress-bar").GetAttribute("aria-label")!.ShouldContain("基準値から目標値までの");
    }

    [Fact]
    public void without_progress_the_bar_is_a_dash()
    {
        _context.Render<ProgressBar>(p => p.Add(b => b.Indicator, Indicator(Status.NoDataYet))).Find(".nodata").TextContent.ShouldBe("—");
    }

    [Fact]
    public void the_sparkline_draws_every_point_and_says_them_in_words()
    {
        (DateOnly, decimal)[] points = [(new DateOnly(2020, 4, 1), 13.5m), (new DateOnly(2021, 1, 1), 21.2m), (new DateOnly(2022, 12, 31), 55.7m)];
        var sparkline = _context.Render<Sparkline>(p => p.Add(s => s.Points, points).Add(s => s.Label, "2020-04-01 13.5 %、2022-12-31 55.7 %"));

        var coordinates = sparkline.Find("polyline").GetAttribute("points")!.Split(' ');
        coordinates.Length.ShouldBe(3);
        // Higher values are drawn higher (smaller y), the last one is marked.
        double Y(string xy) => double.Parse(xy.Split(',')[1], CultureInfo.InvariantCulture);
        Y(coordinates[2]).ShouldBeLessThan(Y(coordinates[0]));
        sparkline.Find("circle").GetAttribute("cy").ShouldBe(coordinates[2].Split(',')[1]);
        sparkline.Find("svg").GetAttribute("aria-label").ShouldBe("2020-04-01 13.5 %、2022-12-31 55.7 %");
        sparkline.Find("title").TextContent.ShouldContain("55.7");
    }

    [Fact]
    public void a_sparkline_without_figures_draws_nothing()
    {
        _context.Render<Sparkline>(p => p.Add(s => s.Points, Array.Empty<(DateOnly, decimal)>()).Add(s => s.Label, "")).Markup.Trim().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("FY2023", "ja-JP", "令和5年度")]
    [InlineData("FY2019", "ja-JP", "令和元年度")]
    [InlineData("FY2024Q3", "ja-JP", "令和6年度 第3四半期")]
    [InlineData("2019-03", "ja-JP", "平成31年3月")]
    [InlineData("FY2020-FY2024", "ja-JP", "令和2年度～令和6年度")]
    [InlineData("FY2024Q3", "en", "FY2024 Q3 (Oct-Dec 2024)")]
    [InlineData("2019-03", "en", "Mar 2019")]
    public void a_period_is_written_with_the_era_on_japanese_pages_and_its_canonical_form_as_a_tooltip(string period, string culture, string text)
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(culture);
        var label = _context.Render<PeriodLabel>(p => p.Add(l => l.Period, Period.Parse(period))).Find("span.period");
        label.TextContent.ShouldBe(text);
        label.GetAttribute("title").ShouldBe(period);
    }
}
