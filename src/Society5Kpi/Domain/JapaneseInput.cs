using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Society5Kpi.Domain;

/// <summary>
/// Reads what Japanese Excel users type into cells (import files and the figure entry form): dates, periods and
/// numbers in the forms the secretariat writes them, full-width or half-width. Every reader is pure, refuses what it
/// cannot read unambiguously and never throws. A date is not checked against <see cref="SupportedDates"/> here, so
/// the caller can say "outside the supported dates" rather than "not a date".
/// </summary>
public static partial class JapaneseInput
{
    public const string DateForms = "2023-06-30, 2023/6/30, 2023年6月30日, 令和5年6月30日, 令和元年5月1日, R5.6.30, R5/6/30";

    public const string PeriodForms =
        "FY2022, FY2022Q3, 2022-12, CY2022, FY2020-FY2024, 令和4年度, R4年度, 2022年度, 令和4年度第3四半期, " +
        "2022年12月, R4.12, 2022年, 令和4年, 令和2年度～令和6年度";

    public const string NumberForms = "1620, 1,620, １，６２０, -3, ▲3, 1.2, 98.1%, 1,620件";

    // Only the eras a supported date or plan period can fall in. The exact first and last day of each era are
    // checked against JapaneseEra, so the boundaries live in one place; this table only turns 令和5 into 2023.
    private static readonly (string Name, string Letter, int FirstYear)[] Eras =
    [
        ("令和", "R", 2019),
        ("平成", "H", 1989),
        ("昭和", "S", 1926),
    ];

    // ---- dates ----

    public static bool TryDate(string? text, out DateOnly date)
    {
        date = default;
        if (Normalise(text) is not { } s) return false;

        if (WesternDate().Match(s) is { Success: true } w)
            return IsMidnight(w.Groups["time"]) && TryMake(Int(w, "y"), Int(w, "m"), Int(w, "d"), out date);

        var match = KanjiDate().Match(s);
        if (!match.Success) match = ShortEraDate().Match(s);
        if (!match.Success) return false;

        if (!TryYear(match, out var year, out var era)) return false;
        if (!TryMake(year, Int(match, "m"), Int(match, "d"), out var day)) return false;
        // 令和元年4月30日 names a real day, but not one of Reiwa: refuse rather than guess which part was mistyped.
        if (era is not null && JapaneseEra.Short(day) != era) return false;
        date = day;
        return true;
    }

    // Excel writes a date cell saved as CSV with its time (2023/6/30 0:00:00); any other time means the cell held
    // a moment, not a day, and dropping the time would silently move figures between days.
    private static bool IsMidnight(Group time) => !time.Success || time.Value.All(c => c is '0' or ':' or '.');

    private static bool TryMake(int year, int month, int day, out DateOnly date)
    {
        date = default;
        if (year is < 1 or > 9999 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    // ---- periods ----

    public static bool TryPeriod(string? text, out Period period)
    {
        period = default;
        if (Normalise(text) is not { } s) return false;
        if (Period.TryParse(Canonical(s), out period)) return true;
        // Round-trip through Period.TryParse so a Japanese form obeys exactly the bounds of the canonical one.
        return ReadJapanesePeriod(s) is { } read && Period.TryParse(read.ToString(), out period);
    }

    // fy2022q3, FY2022 Q3 and FY2020 - FY2024 are the canonical forms typed loosely.
    private static string Canonical(string s) => LooseCanonical().Replace(s.ToUpperInvariant(), m => m.Value.Trim());

    private static Period? ReadJapanesePeriod(string s)
    {
        var separator = s.IndexOfAny(SpanSeparators);
        if (separator >= 0) return ReadSpan(s[..separator].Trim(), s[(separator + 1)..].Trim());

        if (FiscalYearText().Match(s) is { Success: true } fy)
            return TryYear(fy, out var year, out var era) && FiscalYearInEra(year, era) ? Period.FiscalYear(year) : null;

        if (FiscalQuarterText().Match(s) is { Success: true } fq)
            return TryYear(fq, out var year, out var era) && FiscalYearInEra(year, era) && Int(fq, "q") is >= 1 and <= 4 and var q
                ? Period.FiscalQuarter(year, q) : null;

        if (MonthText().Match(s) is { Success: true } mo)
        {
            if (!TryYear(mo, out var year, out var era) || Int(mo, "m") is not (>= 1 and <= 12 and var month)) return null;
            if (!MonthInEra(year, month, era)) return null;
            return Period.Month(year, month);
        }

        if (CalendarYearText().Match(s) is { Success: true } cy)
        {
            if (!TryYear(cy, out var year, out var era) || !CalendarYearInEra(year, era)) return null;
            // 令和2年（2020年） is how Period.ToJapanese writes a calendar year: both halves must agree.
            if (cy.Groups["western"].Success && Int(cy, "western") != year) return null;
            return Period.CalendarYear(year);
        }
        return null;
    }

    private static readonly char[] SpanSeparators = ['~', '〜', '-'];

    private static Period? ReadSpan(string from, string to)
    {
        if (FiscalYearText().Match(from) is { Success: true } f)
        {
            if (!TryYear(f, out var start, out var startEra) || !FiscalYearInEra(start, startEra)) return null;
            // 令和2年度～6年度: the second year keeps the era of the first, as plans often write it.
            var t = FiscalYearText().Match(to);
            if (!t.Success && startEra is not null && BareEraFiscalYear().Match(to) is { Success: true } bare)
                t = FiscalYearText().Match(EraName(startEra) + bare.Value);
            if (!t.Success || !TryYear(t, out var end, out var endEra) || !FiscalYearInEra(end, endEra)) return null;
            return Period.FiscalYears(start, end);
        }
        if (CalendarYearText().Match(from) is { Success: true } fc && !fc.Groups["western"].Success &&
            CalendarYearText().Match(to) is { Success: true } tc && !tc.Groups["western"].Success)
        {
            if (!TryYear(fc, out var start, out var startEra) || !CalendarYearInEra(start, startEra)) return null;
            if (!TryYear(tc, out var end, out var endEra) || !CalendarYearInEra(end, endEra)) return null;
            return Period.CalendarYears(start, end);
        }
        return null;
    }

    // 平成31年度 is how budgets drafted before May 2019 name FY2019, which began under Heisei; the plan's own
    // rendering (JapaneseEra.FiscalYear) calls it 令和元年度. Both are read; 昭和64年度 or 平成32年度 are not.
    private static bool FiscalYearInEra(int fiscalYear, string? era) =>
        era is null || JapaneseEra.Short(new DateOnly(fiscalYear, 4, 1)) == era || JapaneseEra.ShortFiscalYear(fiscalYear) == era;

    // No era is shorter than a year, so an era touches a year or a month only if it holds its first or last day.
    // A Western year is left to Period's bounds (and may be 0000, which DateOnly cannot hold).
    private static bool CalendarYearInEra(int year, string? era) =>
        era is null || JapaneseEra.Short(new DateOnly(year, 1, 1)) == era || JapaneseEra.Short(new DateOnly(year, 12, 31)) == era;

    private static bool MonthInEra(int year, int month, string? era) =>
        era is null || JapaneseEra.Short(new DateOnly(year, month, 1)) == era ||
        JapaneseEra.Short(new DateOnly(year, month, DateTime.DaysInMonth(year, month))) == era;

    // ---- numbers ----

    public static bool TryNumber(string? text, out decimal value)
    {
        value = default;
        if (Normalise(text) is not { } s) return false;
        var m = NumberText().Match(s);
        if (!m.Success || !IsUnit(m.Groups["unit"].Value.TrimStart())) return false;

        var whole = m.Groups["int"].Value.Replace(",", "");
        var fraction = m.Groups["frac"].Value;
        // Beyond 28 digits decimal would round; the figure must be exactly what was typed.
        if (whole.Length + fraction.Length > 28) return false;
        var digits = fraction.Length > 0 ? $"{whole}.{fraction}" : whole;
        if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)) return false;
        if (m.Groups["sign"].Value.Trim() is "-" or "−" or "▲" or "△") value = -value;
        return true;
    }

    // A unit is words after the number (件, 市町村, %, 万t-CO2, m2). Another number in it (12abc34, 1.2.3, 3-5, 1e5)
    // means the cell is not one figure, so only a single digit written onto a Latin letter (CO2, m2, H2O) is allowed.
    private static bool IsUnit(string unit)
    {
        if (unit.Length == 0) return true;
        if (!(char.IsLetter(unit[0]) || unit[0] is '%' or '‰' or '°')) return false;
        if (Exponent().IsMatch(unit)) return false;
        for (var i = 0; i < unit.Length; i++)
        {
            if (!char.IsDigit(unit[i])) continue;
            if (!char.IsAsciiLetter(unit[i - 1])) return false;
            if (i + 1 < unit.Length && char.IsDigit(unit[i + 1])) return false;
        }
        return true;
    }

    // ---- shared ----

    // NFKC turns full-width digits, letters and punctuation into ASCII (and ㍻ into 平成); cells also carry
    // non-breaking spaces and, in the first cell of a file, a byte-order mark.
    private static string? Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string s;
        try { s = text.Normalize(NormalizationForm.FormKC); }
        catch (ArgumentException) { return null; } // a broken surrogate pair is no figure
        var trimmed = s.Trim().Trim('\uFEFF', '\u200B').Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    /// <summary>The Western year of a match's era year (令和5, R5, 令和元) or its four-digit year, and the era as JapaneseEra.Short writes it.</summary>
    private static bool TryYear(Match m, out int year, out string? era)
    {
        year = 0;
        era = null;
        if (m.Groups["year"].Success)
        {
            year = Int(m, "year");
            return true;
        }
        var name = m.Groups["era"].Value;
        var found = Eras.FirstOrDefault(e => e.Name == name || e.Letter.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (found.Name is null) return false;
        var eraYear = m.Groups["eraYear"].Value is "元" ? 1 : Int(m, "eraYear");
        if (eraYear < 1) return false;
        year = found.FirstYear + eraYear - 1;
        era = found.Letter + eraYear.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    private static string EraName(string era) => Eras.First(e => era.StartsWith(e.Letter, StringComparison.Ordinal)).Name;

    // [0-9], not \d: \d also matches Arabic-Indic and other digits NFKC leaves alone, which int.Parse refuses.
    private const string Year = @"(?:(?<era>令和|平成|昭和|[RHS])(?<eraYear>[0-9]{1,2}|元)|(?<year>[0-9]{4}))";

    [GeneratedRegex(@"^(?<y>[0-9]{4})(?<sep>[-/])(?<m>[0-9]{1,2})\k<sep>(?<d>[0-9]{1,2})(?:(?:\s+|T)(?<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?))?$")]
    private static partial Regex WesternDate();

    [GeneratedRegex("^" + Year + @"年(?<m>[0-9]{1,2})月(?<d>[0-9]{1,2})日$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KanjiDate();

    [GeneratedRegex(@"^(?<era>[RHS])(?<eraYear>[0-9]{1,2})(?<sep>[./])(?<m>[0-9]{1,2})\k<sep>(?<d>[0-9]{1,2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ShortEraDate();

    [GeneratedRegex(@"\s*-\s*|\s+(?=Q)")]
    private static partial Regex LooseCanonical();

    [GeneratedRegex("^" + Year + "年度$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FiscalYearText();

    [GeneratedRegex(@"^(?<eraYear>[0-9]{1,2}|元)年度$")]
    private static partial Regex BareEraFiscalYear();

    // 令和4年度第3四半期, 令和4年度 第3四半期, 令和4年度Q3, and R6 Q3 as Period.ToJapaneseShort writes it.
    [GeneratedRegex(@"^(?:" + Year + @"年度\s*(?:第(?<q>[0-9])四半期|Q(?<q>[0-9]))|(?<era>[RHS])(?<eraYear>[0-9]{1,2}|元)\s*Q(?<q>[0-9]))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FiscalQuarterText();

    // 2022年12月, 令和4年12月, R4.12 / H31.3 (Period.ToJapaneseShort), 2022/12 (Excel's yyyy/m).
    [GeneratedRegex(@"^(?:" + Year + @"年(?<m>[0-9]{1,2})月|(?<era>[RHS])(?<eraYear>[0-9]{1,2}|元)\.(?<m>[0-9]{1,2})|(?<year>[0-9]{4})/(?<m>[0-9]{1,2}))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex MonthText();

    // A bare R4 is refused: Period.ToJapaneseShort writes both FY2022 and CY2022 that way.
    [GeneratedRegex(@"^(?:" + Year + @"年|(?<era>令和|平成|昭和)(?<eraYear>[0-9]{1,2}|元)年\s*\((?<western>[0-9]{4})年\))$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CalendarYearText();

    // ▲ and △ are Japanese accounting minus signs; Excel's own format writes "▲ 1,234" with a space.
    // A leading group of three starts 1-9, so 0,5 (a European decimal) is not read as 5.
    [GeneratedRegex(@"^(?<sign>[-+−]|[▲△]\s*)?(?<int>[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.(?<frac>[0-9]+))?(?<unit>.*)$")]
    private static partial Regex NumberText();

    [GeneratedRegex(@"^[eE][-+]?[0-9]")]
    private static partial Regex Exponent();
}
