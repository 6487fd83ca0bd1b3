using Society5Kpi.Domain;
using Society5Kpi.Measurements.Recording;

namespace Society5Kpi.Seeds;

/// <summary>
/// ADM-03 マイナンバーカードの普及率 as the ministry published it (総務省「マイナンバーカード交付状況について」), for Hokkaido
/// and for each of its 179 municipalities on the same 46 reference dates (2017-03-08 … 2022-12-31): cards issued against
/// the population, the rate as published. Figures from a published source: known from the day after their date.
/// </summary>
public static class MyNumberCardSeries
{
    public const string IndicatorCode = "ADM-03";
    public const string PrefectureFile = "mynumbercard-hokkaido.csv";
    public const string MunicipalFile = "mynumbercard-hokkaido-municipalities.csv";
    public const string Source = "総務省「マイナンバーカード交付状況について」";

    public static readonly string[] PrefectureColumns = ["as_of", "population", "cards_issued", "rate_percent"];
    public static readonly string[] MunicipalColumns = ["as_of", "code", "name", "population", "cards_issued", "rate_percent"];

    public static RecordMeasurement ToRecordMeasurement(SeedRow r)
    {
        var asOf = r.Date("as_of");
        return new RecordMeasurement(
            IndicatorCode, asOf is { } day ? PeriodOf(day).ToString() : "", asOf, r.Number("rate_percent"), Source,
            Note: r.Text("population_as_of") is { } census ? $"人口は{census}時点の住民基本台帳人口" : null, ExpectedVersion: null,
            RecordedBy: $"seed-import ({r.File}:{r.Line})", KnownFrom: asOf is { } d ? JapanTime.StartOf(d.AddDays(1)) : null,
            MunicipalityCode: r.Text("code"), Numerator: r.Number("cards_issued"), Denominator: r.Number("population"));
    }

    /// <summary>
    /// The month a count closes: a count as of the first of a month (X月1日時点) is the previous month's, any other date
    /// its own month. So 2022-06-01 is May's and 2022-06-30 June's, and 2020-04-01, the plan's baseline 13.5 %, closes FY2019.
    /// </summary>
    public static Period PeriodOf(DateOnly asOf)
    {
        var month = asOf.Day == 1 ? asOf.AddDays(-1) : asOf;
        return Period.Month(month.Year, month.Month);
    }
}
