using Society5Kpi.Domain;

namespace Society5Kpi.Tests.Domain;

public class when_working_with_periods
{
    [Theory]
    [InlineData("2024-04-01", "FY2024Q1")]
    [InlineData("2024-06-30", "FY2024Q1")]
    [InlineData("2024-07-01", "FY2024Q2")]
    [InlineData("2024-12-31", "FY2024Q3")]
    [InlineData("2025-01-01", "FY2024Q4")]
    [InlineData("2025-03-31", "FY2024Q4")]
    [InlineData("2024-01-31", "FY2023Q4")]
    public void the_fiscal_quarter_of_a_date_starts_in_april(string date, string expected) =>
        Period.FiscalQuarterOf(DateOnly.Parse(date)).ToString().ShouldBe(expected);

    [Theory]
    [InlineData("FY2024", "2024-04-01", "2025-03-31")]
    [InlineData("FY2024Q3", "2024-10-01", "2024-12-31")]
    [InlineData("FY2024Q4", "2025-01-01", "2025-03-31")]
    [InlineData("CY2020", "2020-01-01", "2020-12-31")]
    [InlineData("2019-03", "2019-03-01", "2019-03-31")]
    [InlineData("2024-02", "2024-02-01", "2024-02-29")]
    [InlineData("FY2020-FY2024", "2020-04-01", "2025-03-31")]
    [InlineData("CY2012-CY2018", "2012-01-01", "2018-12-31")]
    public void each_period_covers_exactly_its_days(string text, string start, string end)
    {
        var period = Period.Parse(text);
        period.Start.ShouldBe(DateOnly.Parse(start));
        period.End.ShouldBe(DateOnly.Parse(end));
        period.ToString().ShouldBe(text);
    }

    [Theory]
    [InlineData("FY24")]
    [InlineData("FY2024Q5")]
    [InlineData("2024-13")]
    [InlineData("FY2024-FY2020")]
    [InlineData("FY2024Q1-FY2025")]
    [InlineData("R6")]
    [InlineData("")]
    public void text_that_is_not_a_period_is_refused(string text) =>
        Period.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("FY2024Q3", "令和6年度 第3四半期")]
    [InlineData("FY2019", "令和元年度")]
    [InlineData("FY2018", "平成30年度")]
    [InlineData("FY2025", "令和7年度")]
    [InlineData("2019-03", "平成31年3月")]
    [InlineData("2019-04", "平成31年4月")]
    [InlineData("2019-05", "令和元年5月")]
    [InlineData("2024-01", "令和6年1月")]
    [InlineData("FY2020-FY2024", "令和2年度～令和6年度")]
    public void japanese_pages_show_the_era(string text, string expected) =>
        Period.Parse(text).ToJapanese().ShouldBe(expected);

    [Theory]
    [InlineData("FY2024", "R6")]
    [InlineData("FY2019", "R1")]
    [InlineData("FY2018", "H30")]
    [InlineData("2019-03", "H31.3")]
    [InlineData("2019-04", "H31.4")]
    [InlineData("2019-05", "R1.5")]
    [InlineData("FY2020-FY2024", "R2-R6")]
    public void the_short_era_form_matches_the_plans_tables(string text, string expected) =>
        Period.Parse(text).ToJapaneseShort().ShouldBe(expected);

    [Fact]
    public void the_era_changes_from_heisei_to_reiwa_on_1_may_2019()
    {
        JapaneseEra.Year(new DateOnly(2019, 4, 30)).ShouldBe("平成31年");
        JapaneseEra.Year(new DateOnly(2019, 5, 1)).ShouldBe("令和元年");
        JapaneseEra.Short(new DateOnly(2019, 4, 30)).ShouldBe("H31");
        JapaneseEra.Short(new DateOnly(2019, 5, 1)).ShouldBe("R1");
    }

    [Fact]
    public void periods_are_stored_as_their_canonical_text()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Period.FiscalQuarter(2024, 3));
        json.ShouldBe("\"FY2024Q3\"");
        System.Text.Json.JsonSerializer.Deserialize<Period>(json).ShouldBe(Period.FiscalQuarter(2024, 3));
    }
}
