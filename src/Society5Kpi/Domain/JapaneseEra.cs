namespace Society5Kpi.Domain;

/// <summary>
/// Japanese era names for the periods the plan writes (H31.3, R1, 令和6年度). Only the eras the plan
/// can touch are listed. A fiscal year takes the era in force on 1 May of its first calendar year:
/// FY2019 began in April 2019 under Heisei but is called 令和元年度 (Reiwa began 2019-05-01), while
/// FY1988 stays 昭和63年度 although Heisei began before it ended.
/// </summary>
public static class JapaneseEra
{
    private sealed record Era(string Name, string Letter, DateOnly Start);

    private static readonly Era[] Eras =
    [
        new("令和", "R", new DateOnly(2019, 5, 1)),
        new("平成", "H", new DateOnly(1989, 1, 8)),
        new("昭和", "S", new DateOnly(1926, 12, 25)),
        new("大正", "T", new DateOnly(1912, 7, 30)),
        new("明治", "M", new DateOnly(1873, 1, 1)),
    ];

    // Before the Gregorian calendar was adopted (1873) a date is written in the Western year: no page ever throws.
    private static readonly Era Western = new("", "", DateOnly.MinValue);

    private static (Era Era, int Year) On(DateOnly date)
    {
        var era = Eras.FirstOrDefault(e => date >= e.Start) ?? Western;
        return (era, era == Western ? date.Year : date.Year - era.Start.Year + 1);
    }

    private static string YearNumber(int year) => year == 1 ? "元" : year.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>平成31年 / 令和元年: the era year of a date.</summary>
    public static string Year(DateOnly date)
    {
        var (era, year) = On(date);
        return $"{era.Name}{YearNumber(year)}年";
    }

    /// <summary>H31 / R1.</summary>
    public static string Short(DateOnly date)
    {
        var (era, year) = On(date);
        return $"{era.Letter}{year}";
    }

    public static string FiscalYear(int fiscalYear)
    {
        var (era, year) = On(new DateOnly(fiscalYear, 5, 1));
        return $"{era.Name}{YearNumber(year)}年度";
    }

    public static string ShortFiscalYear(int fiscalYear) => Short(new DateOnly(fiscalYear, 5, 1));
}
