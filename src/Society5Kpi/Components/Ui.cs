using System.Globalization;

namespace Society5Kpi.Components;

/// <summary>
/// The page's language: Japanese first, English a switch away. Texts are written as pairs where
/// they are used, so a translation is never far from its original.
/// </summary>
public static class Ui
{
    public static bool IsJapanese => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName != "en";

    public static string HtmlLang => IsJapanese ? "ja" : "en";

    public static string T(string japanese, string english) => IsJapanese ? japanese : english;

    public static string Name(Indicators.IIndicatorUnit i) => IsJapanese ? i.NameJa : i.NameEn;

    public static string Unit(Indicators.IIndicatorUnit i) => IsJapanese ? i.UnitJa : i.Unit;

    /// <summary>A figure in the indicator's unit: "174 市町村", "98.1 %".</summary>
    public static string Figure(decimal value, Indicators.IIndicatorUnit i) => $"{Number(value)} {Unit(i)}";

    /// <summary>A target as the plan writes it: a floor is "150 %以上を維持" / "at least 150 %".</summary>
    public static string TargetFigure(decimal value, Indicators.IIndicatorUnit i) =>
        i.Direction == Domain.Direction.Floor ? T($"{Figure(value, i)}以上を維持", $"at least {Figure(value, i)}") : Figure(value, i);

    public static string Period(Domain.Period p) => IsJapanese ? $"{p.ToJapanese()}（{p}）" : p.ToEnglish();

    /// <summary>A period as the plan writes it: 令和6年度 on Japanese pages, FY2024 on English ones.</summary>
    public static string PeriodShort(Domain.Period p) => IsJapanese ? p.ToJapanese() : p.ToEnglish();

    /// <summary>The figures of a line in words, for a chart's text alternative: "2017-03-08 7.5 %, …, 2022-12-31 55.7 %".</summary>
    public static string Series(IEnumerable<(DateOnly AsOf, decimal Value)> points, Indicators.IIndicatorUnit i) =>
        string.Join(IsJapanese ? "、" : ", ", points.Select(p => $"{p.AsOf:yyyy-MM-dd} {Figure(p.Value, i)}"));

    public static string Area(Domain.Area area) => area switch
    {
        Domain.Area.Living => T("暮らし", "Living"),
        Domain.Area.Industry => T("産業", "Industry"),
        Domain.Area.Administration => T("行政", "Administration"),
        Domain.Area.Data => T("データの利活用", "Data utilisation"),
        Domain.Area.Infrastructure => T("基盤整備", "Infrastructure"),
        _ => area.ToString()
    };

    public static string Status(Domain.Status status) => status switch
    {
        Domain.Status.Achieved => T("達成", "Achieved"),
        Domain.Status.OnTrack => T("順調", "On track"),
        Domain.Status.AccelerationNeeded => T("進展あり・加速が必要", "Progress made, acceleration needed"),
        Domain.Status.LimitedProgress => T("進展が限定的", "Limited progress"),
        Domain.Status.Deterioration => T("悪化", "Deterioration"),
        Domain.Status.OffTrack => T("目標水準を下回る", "Below the floor"),
        Domain.Status.NoDataYet => T("データ不足", "No data yet"),
        Domain.Status.Qualitative => T("定性目標（取組事例で把握）", "Qualitative (milestones)"),
        Domain.Status.NotAssessed => T("評価対象外", "Not assessed"),
        _ => status.ToString()
    };

    /// <summary>A CSS class per status, shared by badges and the chart so the colours always agree.</summary>
    public static string StatusClass(Domain.Status status) => "status-" + status.ToString().ToLowerInvariant();

    public static string StatusColour(Domain.Status status) => status switch
    {
        // Dark enough for white text on a badge (contrast at least 4.5:1, WCAG AA).
        Domain.Status.Achieved => "#17692f",
        Domain.Status.OnTrack => "#1e7b3a",
        Domain.Status.AccelerationNeeded => "#8a5a00",
        Domain.Status.LimitedProgress => "#a84300",
        Domain.Status.Deterioration or Domain.Status.OffTrack => "#b71c1c",
        // Its own colour: beside "no data yet" in an area's bar, the same grey made the two one block.
        Domain.Status.Qualitative => "#4b4f9e",
        _ => "#5b6875"
    };

    public static string Date(DateOnly date) =>
        IsJapanese ? $"{JapaneseEraDate(date)}（{date:yyyy-MM-dd}）" : date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);

    private static string JapaneseEraDate(DateOnly date) => $"{Domain.JapaneseEra.Year(date)}{date.Month}月{date.Day}日";

    public static string Review(Indicators.ReviewState state) => state switch
    {
        Indicators.ReviewState.Draft => T("下書き", "draft"),
        Indicators.ReviewState.Submitted => T("審査待ち", "waiting for review"),
        Indicators.ReviewState.SentBack => T("差し戻し", "sent back"),
        _ => T("公表済", "published")
    };

    /// <summary>A figure with the decimals it was given (67.0 stays 67.0, as published), at most four.</summary>
    public static string Number(decimal value) =>
        value.ToString("N" + Math.Min((decimal.GetBits(value)[3] >> 16) & 0xFF, 4), CultureInfo.CurrentCulture);
}
