using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Society5Kpi.Domain;

public enum PeriodKind { FiscalYear, FiscalQuarter, CalendarYear, Month, FiscalYearSpan, CalendarYearSpan }

/// <summary>
/// The time a figure refers to, in the plan's own terms. Japanese fiscal years run April to March,
/// so FY2024 is 2024-04-01..2025-03-31 and its Q3 is October to December 2024.
/// Canonical text: FY2024, FY2024Q3, CY2020, 2019-03, FY2020-FY2024, CY2012-CY2018.
/// </summary>
[JsonConverter(typeof(PeriodJsonConverter))]
public readonly partial record struct Period(PeriodKind Kind, int Year, int Part = 0, int EndYear = 0)
{
    public static Period FiscalYear(int year) => new(PeriodKind.FiscalYear, year);
    public static Period FiscalQuarter(int fiscalYear, int quarter) => new(PeriodKind.FiscalQuarter, fiscalYear, quarter);
    public static Period CalendarYear(int year) => new(PeriodKind.CalendarYear, year);
    public static Period Month(int year, int month) => new(PeriodKind.Month, year, month);
    public static Period FiscalYears(int from, int to) => new(PeriodKind.FiscalYearSpan, from, 0, to);
    public static Period CalendarYears(int from, int to) => new(PeriodKind.CalendarYearSpan, from, 0, to);

    /// <summary>The fiscal quarter a date falls in (Q1 = April-June).</summary>
    public static Period FiscalQuarterOf(DateOnly date)
    {
        var fiscalYear = FiscalYearOf(date);
        var monthsIntoYear = (date.Month + 8) % 12; // April -> 0 ... March -> 11
        return FiscalQuarter(fiscalYear, monthsIntoYear / 3 + 1);
    }

    public static int FiscalYearOf(DateOnly date) => date.Month >= 4 ? date.Year : date.Year - 1;

    public DateOnly Start => Kind switch
    {
        PeriodKind.FiscalYear or PeriodKind.FiscalYearSpan => new DateOnly(Year, 4, 1),
        PeriodKind.FiscalQuarter => new DateOnly(Year, 4, 1).AddMonths((Part - 1) * 3),
        PeriodKind.CalendarYear or PeriodKind.CalendarYearSpan => new DateOnly(Year, 1, 1),
        PeriodKind.Month => new DateOnly(Year, Part, 1),
        _ => throw new InvalidOperationException($"Unknown period kind {Kind}")
    };

    /// <summary>Last day of the period, inclusive.</summary>
    public DateOnly End => Kind switch
    {
        PeriodKind.FiscalYear => new DateOnly(Year + 1, 3, 31),
        PeriodKind.FiscalYearSpan => new DateOnly(EndYear + 1, 3, 31),
        PeriodKind.FiscalQuarter => Start.AddMonths(3).AddDays(-1),
        PeriodKind.CalendarYear => new DateOnly(Year, 12, 31),
        PeriodKind.CalendarYearSpan => new DateOnly(EndYear, 12, 31),
        PeriodKind.Month => Start.AddMonths(1).AddDays(-1),
        _ => throw new InvalidOperationException($"Unknown period kind {Kind}")
    };

    public bool IsSpan => Kind is PeriodKind.FiscalYearSpan or PeriodKind.CalendarYearSpan;

    public override string ToString() => Kind switch
    {
        PeriodKind.FiscalYear => $"FY{Year}",
        PeriodKind.FiscalQuarter => $"FY{Year}Q{Part}",
        PeriodKind.CalendarYear => $"CY{Year}",
        PeriodKind.Month => $"{Year:D4}-{Part:D2}",
        PeriodKind.FiscalYearSpan => $"FY{Year}-FY{EndYear}",
        PeriodKind.CalendarYearSpan => $"CY{Year}-CY{EndYear}",
        _ => Kind.ToString()
    };

    [GeneratedRegex(@"^(?:FY(?<fy>\d{4})(?:Q(?<q>[1-4]))?(?:-FY(?<fyEnd>\d{4}))?|CY(?<cy>\d{4})(?:-CY(?<cyEnd>\d{4}))?|(?<my>\d{4})-(?<mm>\d{2}))$")]
    private static partial Regex Grammar();

    public static bool TryParse(string? text, out Period period)
    {
        period = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var m = Grammar().Match(text.Trim());
        if (!m.Success) return false;
        int Int(string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

        if (m.Groups["fy"].Success)
        {
            if (m.Groups["q"].Success && m.Groups["fyEnd"].Success) return false;
            if (m.Groups["q"].Success) period = FiscalQuarter(Int("fy"), Int("q"));
            else if (m.Groups["fyEnd"].Success) period = FiscalYears(Int("fy"), Int("fyEnd"));
            else period = FiscalYear(Int("fy"));
        }
        else if (m.Groups["cy"].Success)
            period = m.Groups["cyEnd"].Success ? CalendarYears(Int("cy"), Int("cyEnd")) : CalendarYear(Int("cy"));
        else
        {
            var month = Int("mm");
            if (month is < 1 or > 12) return false;
            period = Month(Int("my"), month);
        }
        return period.Year is >= 1900 and <= 2100 && (!period.IsSpan || (period.EndYear > period.Year && period.EndYear <= 2100));
    }

    public static Period Parse(string text) =>
        TryParse(text, out var period)
            ? period
            : throw new FormatException($"'{text}' is not a period (expected e.g. FY2024, FY2024Q3, CY2020, 2019-03, FY2020-FY2024)");

    /// <summary>Japanese rendering, era first: 令和6年度 第3四半期, 平成31年3月, 令和2年度～令和6年度.</summary>
    public string ToJapanese() => Kind switch
    {
        PeriodKind.FiscalYear => JapaneseEra.FiscalYear(Year),
        PeriodKind.FiscalQuarter => $"{JapaneseEra.FiscalYear(Year)} 第{Part}四半期",
        PeriodKind.CalendarYear => $"{JapaneseEra.Year(new DateOnly(Year, 12, 31))}（{Year}年）",
        PeriodKind.Month => $"{JapaneseEra.Year(new DateOnly(Year, Part, 1))}{Part}月",
        PeriodKind.FiscalYearSpan => $"{JapaneseEra.FiscalYear(Year)}～{JapaneseEra.FiscalYear(EndYear)}",
        PeriodKind.CalendarYearSpan => $"{Year}年～{EndYear}年",
        _ => ToString()
    };

    /// <summary>The short era form used in the plan's tables: R6, H31.3, R2-R6.</summary>
    public string ToJapaneseShort() => Kind switch
    {
        PeriodKind.FiscalYear => JapaneseEra.ShortFiscalYear(Year),
        PeriodKind.FiscalQuarter => $"{JapaneseEra.ShortFiscalYear(Year)} Q{Part}",
        PeriodKind.CalendarYear => JapaneseEra.Short(new DateOnly(Year, 12, 31)),
        PeriodKind.Month => $"{JapaneseEra.Short(new DateOnly(Year, Part, 1))}.{Part}",
        PeriodKind.FiscalYearSpan => $"{JapaneseEra.ShortFiscalYear(Year)}-{JapaneseEra.ShortFiscalYear(EndYear)}",
        PeriodKind.CalendarYearSpan => $"{Year}-{EndYear}",
        _ => ToString()
    };

    /// <summary>Western rendering for the English page: FY2024 Q3 (Oct-Dec 2024), Mar 2019.</summary>
    public string ToEnglish() => Kind switch
    {
        PeriodKind.FiscalQuarter => $"FY{Year} Q{Part} ({Start:MMM}-{End:MMM yyyy})",
        PeriodKind.Month => new DateOnly(Year, Part, 1).ToString("MMM yyyy", CultureInfo.InvariantCulture),
        PeriodKind.CalendarYear => Year.ToString(CultureInfo.InvariantCulture),
        PeriodKind.CalendarYearSpan => $"{Year}-{EndYear}",
        _ => ToString()
    };
}

public sealed class PeriodJsonConverter : JsonConverter<Period>
{
    public override Period Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return Period.TryParse(text, out var period) ? period : throw new JsonException($"'{text}' is not a period");
    }

    public override void Write(Utf8JsonWriter writer, Period value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
