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

    public static string Name(Indicators.IndicatorProgress i) => IsJapanese ? i.NameJa : i.NameEn;

    public static string Unit(Indicators.IndicatorProgress i) => IsJapanese ? i.UnitJa : i.Unit;

    /// <summary>A figure in the indicator's unit: "174 市町村", "98.1 %".</summary>
    public static string Figure(decimal value, Indicators.IndicatorProgress i) => $"{Number(value)} {Unit(i)}";

    /// <summary>A target as the plan writes it: a floor is "150 %以上を維持" / "at least 150 %".</summary>
    public static string TargetFigure(decimal value, Indicators.IndicatorProgress i) =>
        i.Direction == Domain.Direction.Floor ? T($"{Figure(value, i)}以上を維持", $"at least {Figure(value, i)}") : Figure(value, i);

    public static string Period(Domain.Period p) => IsJapanese ? $"{p.ToJapanese()}（{p}）" : p.ToEnglish();

    public static string Area(Domain.Area area) => area switch
    {
        Domain.Area.Living => T("暮らし", "Living"),
        Domain.Area.Industry => T("産業", "Industry"),
        Domain.Area.Administration => T("行政", "Administration"),
        Domain.Area.Data => T("データの利活用", "Data utilisation"),
        Domain.Area.Infrastructure => T("基盤整備", "Infrastructure"),
        _ => area.ToString()
    };

    public static string Number(decimal value) => value.ToString("#,0.###", CultureInfo.CurrentCulture);
}
