using System.Globalization;
using Society5Kpi.Domain;

namespace Society5Kpi.Tests.Domain;

public class when_reading_what_people_type
{
    [Theory]
    [InlineData("2023-06-30", "2023-06-30")]
    [InlineData("2023-6-30", "2023-06-30")]
    [InlineData("2023/6/30", "2023-06-30")]
    [InlineData("2023/06/30", "2023-06-30")]
    [InlineData("2024/2/29", "2024-02-29")]
    [InlineData("2023年6月30日", "2023-06-30")]
    [InlineData("2023年06月30日", "2023-06-30")]
    [InlineData("令和5年6月30日", "2023-06-30")]
    [InlineData("令和05年06月30日", "2023-06-30")]
    [InlineData("令和元年5月1日", "2019-05-01")]
    [InlineData("令和1年5月1日", "2019-05-01")]
    [InlineData("平成31年4月30日", "2019-04-30")]
    [InlineData("平成元年1月8日", "1989-01-08")]
    [InlineData("昭和64年1月7日", "1989-01-07")]
    [InlineData("R5年6月30日", "2023-06-30")]
    [InlineData("R5.6.30", "2023-06-30")]
    [InlineData("R5/6/30", "2023-06-30")]
    [InlineData("r5.6.30", "2023-06-30")]
    [InlineData("R05.06.30", "2023-06-30")]
    [InlineData("R1.5.1", "2019-05-01")]
    [InlineData("H31.4.30", "2019-04-30")]
    [InlineData("h31.4.30", "2019-04-30")]
    [InlineData("S64.1.7", "1989-01-07")]
    [InlineData("2023/6/30 0:00:00", "2023-06-30")]
    [InlineData("2023/6/30 0:00", "2023-06-30")]
    [InlineData("2023-06-30 00:00:00", "2023-06-30")]
    [InlineData("2023-06-30T00:00:00", "2023-06-30")]
    [InlineData("2023-06-30 00:00:00.000", "2023-06-30")]
    [InlineData("２０２３／６／３０", "2023-06-30")]
    [InlineData("２０２３－０６－３０", "2023-06-30")]
    [InlineData("令和５年６月３０日", "2023-06-30")]
    [InlineData("Ｒ５．６．３０", "2023-06-30")]
    [InlineData("２０２３／６／３０　０：００：００", "2023-06-30")]
    [InlineData("㍻31年4月30日", "2019-04-30")]
    [InlineData("  2023/6/30  ", "2023-06-30")]
    [InlineData("\u00A02023/6/30\u3000", "2023-06-30")]
    [InlineData("\uFEFF2023/6/30", "2023-06-30")]
    public void accepted_dates(string text, string expected)
    {
        JapaneseInput.TryDate(text, out var date).ShouldBeTrue();
        date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture).ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\u3000")]
    [InlineData("45107")]            // an Excel serial number: a count, a code or a date, so refused
    [InlineData("45107.5")]
    [InlineData("2023/2/30")]
    [InlineData("2023/2/29")]
    [InlineData("2023-13-01")]
    [InlineData("2023-06-31")]
    [InlineData("2023-00-10")]
    [InlineData("2023-06-00")]
    [InlineData("0000-01-01")]
    [InlineData("令和元年4月30日")]   // Reiwa began 2019-05-01
    [InlineData("R1.4.30")]
    [InlineData("H31.5.1")]          // Heisei ended 2019-04-30
    [InlineData("平成31年5月1日")]
    [InlineData("平成元年1月7日")]    // Heisei began 1989-01-08
    [InlineData("昭和64年1月8日")]
    [InlineData("令和0年5月1日")]
    [InlineData("R0.5.1")]
    [InlineData("T1.7.30")]          // Taisho: no supported date is in it
    [InlineData("大正1年7月30日")]
    [InlineData("2023/6/30 12:00:00")]
    [InlineData("2023/6/30 0:00:01")]
    [InlineData("2023/6/30 0:01")]
    [InlineData("2023/6/30 24:00")]
    [InlineData("2023/6/30 0")]
    [InlineData("2023/6/30 午前0:00")]
    [InlineData("令和5年6月30日 0:00")]
    [InlineData("23/6/30")]
    [InlineData("6/30")]
    [InlineData("6月30日")]
    [InlineData("2023.6.30")]
    [InlineData("2023-6/30")]
    [InlineData("R5-6-30")]
    [InlineData("R5.6/30")]
    [InlineData("R5.6")]
    [InlineData("令和5.6.30")]
    [InlineData("2023年6月")]
    [InlineData("2023年6月30")]
    [InlineData("2023/6/30/1")]
    [InlineData("2023/6/30日")]
    [InlineData("x2023/6/30")]
    [InlineData("FY2023")]
    [InlineData("٢٠٢٣/٦/٣٠")]         // Arabic-Indic digits, which NFKC leaves as they are
    public void refused_dates(string text) =>
        JapaneseInput.TryDate(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("FY2022", "FY2022")]
    [InlineData("FY2022Q3", "FY2022Q3")]
    [InlineData("CY2022", "CY2022")]
    [InlineData("2022-12", "2022-12")]
    [InlineData("FY2020-FY2024", "FY2020-FY2024")]
    [InlineData("CY2012-CY2018", "CY2012-CY2018")]
    [InlineData("fy2022q3", "FY2022Q3")]
    [InlineData("FY2022 Q3", "FY2022Q3")]
    [InlineData("FY2020 - FY2024", "FY2020-FY2024")]
    [InlineData("ＦＹ２０２２Ｑ３", "FY2022Q3")]
    [InlineData("２０２２－１２", "2022-12")]
    [InlineData("令和4年度", "FY2022")]
    [InlineData("R4年度", "FY2022")]
    [InlineData("r4年度", "FY2022")]
    [InlineData("2022年度", "FY2022")]
    [InlineData("令和元年度", "FY2019")]
    [InlineData("令和1年度", "FY2019")]
    [InlineData("R元年度", "FY2019")]
    [InlineData("平成31年度", "FY2019")]  // budgets drafted before May 2019 name it so
    [InlineData("平成30年度", "FY2018")]
    [InlineData("平成元年度", "FY1989")]
    [InlineData("H30年度", "FY2018")]
    [InlineData("令和４年度", "FY2022")]
    [InlineData("令和4年度第3四半期", "FY2022Q3")]
    [InlineData("令和4年度 第3四半期", "FY2022Q3")]
    [InlineData("令和4年度　第3四半期", "FY2022Q3")]
    [InlineData("令和４年度第３四半期", "FY2022Q3")]
    [InlineData("R4年度第3四半期", "FY2022Q3")]
    [InlineData("2022年度第3四半期", "FY2022Q3")]
    [InlineData("令和4年度第1四半期", "FY2022Q1")]
    [InlineData("令和4年度第4四半期", "FY2022Q4")]
    [InlineData("令和6年度 Q3", "FY2024Q3")]
    [InlineData("R6 Q3", "FY2024Q3")]
    [InlineData("R6Q3", "FY2024Q3")]
    [InlineData("2022年12月", "2022-12")]
    [InlineData("2022年1月", "2022-01")]
    [InlineData("2022年01月", "2022-01")]
    [InlineData("令和4年12月", "2022-12")]
    [InlineData("R4年12月", "2022-12")]
    [InlineData("R4.12", "2022-12")]
    [InlineData("H31.3", "2019-03")]
    [InlineData("平成31年4月", "2019-04")]
    [InlineData("令和元年5月", "2019-05")]
    [InlineData("2022/12", "2022-12")]
    [InlineData("2022年", "CY2022")]
    [InlineData("令和4年", "CY2022")]
    [InlineData("令和元年", "CY2019")]
    [InlineData("平成31年", "CY2019")]
    [InlineData("令和2年（2020年）", "CY2020")]
    [InlineData("令和2年度～令和6年度", "FY2020-FY2024")]
    [InlineData("令和2年度〜令和6年度", "FY2020-FY2024")]
    [InlineData("令和2年度~令和6年度", "FY2020-FY2024")]
    [InlineData("令和2年度-令和6年度", "FY2020-FY2024")]
    [InlineData("令和2年度 ～ 令和6年度", "FY2020-FY2024")]
    [InlineData("R2年度-R6年度", "FY2020-FY2024")]
    [InlineData("2020年度～2024年度", "FY2020-FY2024")]
    [InlineData("令和2年度～6年度", "FY2020-FY2024")]
    [InlineData("平成30年度～令和2年度", "FY2018-FY2020")]
    [InlineData("平成30年度～2020年度", "FY2018-FY2020")]
    [InlineData("2012年～2018年", "CY2012-CY2018")]
    public void accepted_periods(string text, string expected)
    {
        JapaneseInput.TryPeriod(text, out var period).ShouldBeTrue();
        period.ToString().ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("R6")]                     // FY2024 or CY2024: Period.ToJapaneseShort writes both so
    [InlineData("R2-R6")]
    [InlineData("2022")]
    [InlineData("FY24")]
    [InlineData("FY2024Q5")]
    [InlineData("2024-13")]
    [InlineData("FY2024-FY2020")]
    [InlineData("令和4年度第5四半期")]
    [InlineData("令和4年度第0四半期")]
    [InlineData("令和4年度第三四半期")]
    [InlineData("令和4年度Q5")]
    [InlineData("令和4年度第3四半期第1")]
    [InlineData("第3四半期")]
    [InlineData("令和元年4月")]             // April 2019 was still Heisei
    [InlineData("平成31年5月")]
    [InlineData("R1.4")]
    [InlineData("H31.5")]
    [InlineData("平成32年度")]              // Heisei ended in 2019
    [InlineData("平成32年")]
    [InlineData("昭和64年度")]              // FY1989 began under Heisei
    [InlineData("令和0年度")]
    [InlineData("大正10年度")]
    [InlineData("2022年13月")]
    [InlineData("2022年0月")]
    [InlineData("R4.13")]
    [InlineData("2022/13")]
    [InlineData("R4年12")]
    [InlineData("2022年12月1日")]
    [InlineData("1899年度")]
    [InlineData("0000年度")]
    [InlineData("0000年")]
    [InlineData("0000年1月")]
    [InlineData("0000/1")]
    [InlineData("0000年～2018年")]
    [InlineData("0000年度～2018年度")]
    [InlineData("2101年度")]
    [InlineData("令和83年度")]              // FY2101, past Period's bounds
    [InlineData("令和6年度～令和2年度")]     // a span must end after it starts
    [InlineData("令和2年度～令和2年度")]
    [InlineData("2024年度～2020年度")]
    [InlineData("令和2年度～")]
    [InlineData("～令和6年度")]
    [InlineData("令和2年度～令和4年度～令和6年度")]
    [InlineData("令和2年度～令和6年")]
    [InlineData("令和2年～令和6年度")]
    [InlineData("2020年度～6年度")]          // a bare era year needs an era to borrow
    [InlineData("令和4年度第3四半期～令和5年度")]
    [InlineData("令和2年（2021年）")]        // the two halves disagree
    [InlineData("2022年（2022年）")]
    [InlineData("平成")]
    [InlineData("年度")]
    public void refused_periods(string text) =>
        JapaneseInput.TryPeriod(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("1620", "1620")]
    [InlineData("0", "0")]
    [InlineData("007", "7")]
    [InlineData("-3", "-3")]
    [InlineData("+3", "3")]
    [InlineData("−3", "-3")]                // U+2212 minus sign
    [InlineData("▲3", "-3")]
    [InlineData("△3", "-3")]
    [InlineData("▲ 1,620", "-1620")]
    [InlineData("▲3%", "-3")]
    [InlineData("1.2", "1.2")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("0.05", "0.05")]
    [InlineData("12.50", "12.50")]
    [InlineData("1,620", "1620")]
    [InlineData("1,000,000", "1000000")]
    [InlineData("12,345,678.5", "12345678.5")]
    [InlineData("１６２０", "1620")]
    [InlineData("１，６２０", "1620")]
    [InlineData("１．２", "1.2")]
    [InlineData("－３", "-3")]
    [InlineData(" 1620 ", "1620")]
    [InlineData("\u00A01,620\u3000", "1620")]
    [InlineData("98.1%", "98.1")]
    [InlineData("98.1 %", "98.1")]
    [InlineData("９８．１％", "98.1")]
    [InlineData("1,620件", "1620")]
    [InlineData("174市町村", "174")]
    [InlineData("12 社", "12")]
    [InlineData("12　社", "12")]
    [InlineData("3.5万t-CO2", "3.5")]
    [InlineData("3.5万t-CO₂", "3.5")]
    [InlineData("1,620㎡", "1620")]
    [InlineData("25℃", "25")]
    [InlineData("1,620 datasets", "1620")]
    [InlineData("9999999999999999999999999999", "9999999999999999999999999999")]
    public void accepted_numbers(string text, string expected)
    {
        JapaneseInput.TryNumber(text, out var value).ShouldBeTrue();
        value.ShouldBe(decimal.Parse(expected, CultureInfo.InvariantCulture));
        value.ToString(CultureInfo.InvariantCulture).ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("件")]
    [InlineData("%")]
    [InlineData("-")]
    [InlineData("▲")]
    [InlineData("1,62")]
    [InlineData("12,34")]
    [InlineData("1,2345")]
    [InlineData("1234,567")]
    [InlineData("1,620,")]
    [InlineData("1,,620")]
    [InlineData(",620")]
    [InlineData("0,5")]                     // a European decimal comma, not five
    [InlineData("1.2.3")]
    [InlineData("1.2,345")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("12abc34")]
    [InlineData("1万2000")]
    [InlineData("1e5")]
    [InlineData("1.23E+05")]
    [InlineData("12 345")]
    [InlineData("1 620")]
    [InlineData("1-2")]
    [InlineData("3~5")]
    [InlineData("3-")]
    [InlineData("- 3")]
    [InlineData("1/2")]
    [InlineData("12:30")]
    [InlineData("2023/6/30")]
    [InlineData("--3")]
    [InlineData("▲-3")]
    [InlineData("-▲3")]
    [InlineData("(3)")]
    [InlineData("¥1,620")]
    [InlineData("約1,620")]
    [InlineData("R5")]
    [InlineData("1½")]
    [InlineData("٣")]                       // an Arabic-Indic digit
    [InlineData("99999999999999999999999999999")] // 29 digits: decimal could not hold it exactly
    public void refused_numbers(string text) =>
        JapaneseInput.TryNumber(text, out _).ShouldBeFalse();

    [Fact]
    public void nothing_is_refused_quietly_but_nothing_throws()
    {
        JapaneseInput.TryDate(null, out _).ShouldBeFalse();
        JapaneseInput.TryPeriod(null, out _).ShouldBeFalse();
        JapaneseInput.TryNumber(null, out _).ShouldBeFalse();
        // A lone surrogate cannot be normalised; it is refused, not thrown.
        JapaneseInput.TryDate("2023/6/30\uD800", out _).ShouldBeFalse();
        JapaneseInput.TryPeriod("\uD800", out _).ShouldBeFalse();
        JapaneseInput.TryNumber("1\uDC00", out _).ShouldBeFalse();
    }

    [Fact]
    public void the_era_changes_from_heisei_to_reiwa_on_1_may_2019()
    {
        JapaneseInput.TryDate("平成31年4月30日", out var lastOfHeisei).ShouldBeTrue();
        JapaneseInput.TryDate("令和元年5月1日", out var firstOfReiwa).ShouldBeTrue();
        firstOfReiwa.ShouldBe(lastOfHeisei.AddDays(1));
        JapaneseInput.TryDate("平成31年5月1日", out _).ShouldBeFalse();
        JapaneseInput.TryDate("令和元年4月30日", out _).ShouldBeFalse();
        // FY2019 began under Heisei and is named in Reiwa: both names read as the same year.
        JapaneseInput.TryPeriod("令和元年度", out var reiwa).ShouldBeTrue();
        JapaneseInput.TryPeriod("平成31年度", out var heisei).ShouldBeTrue();
        reiwa.ShouldBe(Period.FiscalYear(2019));
        heisei.ShouldBe(reiwa);
    }

    [Fact]
    public void full_width_text_reads_as_its_half_width_twin()
    {
        JapaneseInput.TryDate("令和５年６月３０日", out var wide).ShouldBeTrue();
        JapaneseInput.TryDate("令和5年6月30日", out var narrow).ShouldBeTrue();
        wide.ShouldBe(narrow);
        JapaneseInput.TryPeriod("令和４年度　第３四半期", out var widePeriod).ShouldBeTrue();
        widePeriod.ShouldBe(Period.FiscalQuarter(2022, 3));
        JapaneseInput.TryNumber("▲１，６２０．５", out var wideNumber).ShouldBeTrue();
        wideNumber.ShouldBe(-1620.5m);
    }

    [Fact]
    public void numbers_are_exactly_what_was_typed()
    {
        JapaneseInput.TryNumber("0.1", out var a).ShouldBeTrue();
        JapaneseInput.TryNumber("0.2", out var b).ShouldBeTrue();
        (a + b).ShouldBe(0.3m);
        JapaneseInput.TryNumber("1234567890.123456789", out var precise).ShouldBeTrue();
        precise.ShouldBe(1234567890.123456789m);
    }

    [Fact]
    public void every_period_the_pages_write_reads_back()
    {
        Period[] periods =
        [
            Period.FiscalYear(2019), Period.FiscalYear(2018), Period.FiscalQuarter(2024, 3), Period.CalendarYear(2020),
            Period.Month(2019, 4), Period.Month(2019, 5), Period.FiscalYears(2020, 2024), Period.CalendarYears(2012, 2018)
        ];
        foreach (var period in periods)
        {
            JapaneseInput.TryPeriod(period.ToString(), out var canonical).ShouldBeTrue();
            canonical.ShouldBe(period);
            JapaneseInput.TryPeriod(period.ToJapanese(), out var japanese).ShouldBeTrue(period.ToJapanese());
            japanese.ShouldBe(period);
        }
    }

    [Fact]
    public void the_forms_named_in_error_messages_are_all_accepted()
    {
        foreach (var form in JapaneseInput.DateForms.Split(", "))
            JapaneseInput.TryDate(form, out _).ShouldBeTrue(form);
        foreach (var form in JapaneseInput.PeriodForms.Split(", "))
            JapaneseInput.TryPeriod(form, out _).ShouldBeTrue(form);
        foreach (var form in JapaneseInput.NumberForms.Split(", "))
            JapaneseInput.TryNumber(form, out _).ShouldBeTrue(form);
    }
}
