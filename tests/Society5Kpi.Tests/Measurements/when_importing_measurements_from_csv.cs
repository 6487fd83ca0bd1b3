using System.Net.Http.Headers;
using System.Text;
using Alba;
using Microsoft.AspNetCore.Mvc;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Measurements.Importing;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Measurements;

public class when_importing_measurements_from_csv(AppFixture app) : AppSpecification(app)
{
    private const string Url = "/api/imports/measurements";
    private const string Header = "indicator_code,period,as_of,value,source,note";

    protected override bool StartsFromTheSeededPlan => true;

    private static byte[] Utf8(params string[] lines) => Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n");

    private async Task<IScenarioResult> Upload(byte[] content, int status = 201, string user = TestUsers.Editor, string fileName = "figures.csv")
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx") ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        var form = new MultipartFormDataContent { { file, "file", fileName } };
        return await Host.Scenario(s =>
        {
            s.As(user).Post.MultipartFormData(form).ToUrl(Url);
            s.StatusCodeShouldBe(status);
        });
    }

    private async Task<ImportPreview> Preview(byte[] content, string fileName = "figures.csv") =>
        (await Upload(content, fileName: fileName)).ReadAsJson<ImportPreview>()!;

    private Task<IScenarioResult> Confirm(Guid id, int status, string user = TestUsers.Editor) => Host.Scenario(s =>
    {
        s.As(user).Post.Url($"{Url}/{id}/confirm");
        s.StatusCodeShouldBe(status);
    });

    private async Task<ImportPreview> Read(Guid id, string user = TestUsers.Editor) =>
        (await Host.Scenario(s => s.As(user).Get.Url($"{Url}/{id}"))).ReadAsJson<ImportPreview>()!;

    private async Task<ImportPreview> ConfirmAndWait(ImportPreview preview)
    {
        await Confirm(preview.Id, 202);
        var done = await Eventually.Get(() => Read(preview.Id), p => p.State is ImportState.Done or ImportState.Failed, "the import");
        done.State.ShouldBe(ImportState.Done, done.Failure);
        return done;
    }

    // Signed in: figures recorded by staff are drafts until reviewed, and only staff see those.
    private async Task<IndicatorProgress> Indicator(string code) =>
        (await Host.Scenario(s => s.As(TestUsers.Editor).Get.Url($"/api/indicators/{code}"))).ReadAsJson<IndicatorProgress>()!;

    [Fact]
    public async Task bad_rows_are_listed_by_line_and_column_and_nothing_is_written()
    {
        var eventsBefore = (await App.AllEventsAsync()).Count;

        var preview = await Preview(Utf8(
            Header + ",unit",
            "IND-06,FY2023,2024-03-31,1620,道 集計,,cases",
            "XYZ-99,FY2023Q4,2024-03-31,1,道 集計,,",
            "IND-06,Q4 2023,2024-03-31,1620,道 集計,,",
            "IND-06,FY2024Q1,2099-01-01,1620,道 集計,,",
            "IND-06,FY2024Q2,2024-09-30,1620.5,道 集計,,",
            "LIV-04,FY2023,2024-03-31,many,文部科学省,,",
            "IND-06,FY2024Q3,2024-12-31,1621,道 集計,,%",
            "INF-02,FY2023,2024-03-31,99.2,総務省,,%"));

        preview.Encoding.ShouldBe("UTF-8");
        preview.State.ShouldBe(ImportState.Previewed);
        preview.Errors.Select(e => (e.Line, e.Column)).ShouldBe(
            [(3, "indicator_code"), (4, "period"), (5, "as_of"), (6, "value"), (7, "value"), (8, "unit")],
            string.Join("\n", preview.Errors));
        preview.Errors.Single(e => e.Line == 6).Message.ShouldContain("whole number");
        preview.Errors.Single(e => e.Line == 7).Message.ShouldContain("not a number");
        preview.Errors.Single(e => e.Line == 8).Message.ShouldContain("unit mismatch");
        preview.Rows.Select(r => (r.Line, r.IndicatorCode, r.Value)).ShouldBe([(2, "IND-06", 1620m), (9, "INF-02", 99.2m)]);
        preview.Skipped.ShouldBeEmpty();
        (await App.AllEventsAsync()).Count.ShouldBe(eventsBefore);
    }

    [Fact]
    public async Task a_shift_jis_file_from_excel_keeps_its_japanese_notes()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        const string note = "速報値・大学等アンケート（令和6年3月末）による";
        var content = Encoding.GetEncoding(932).GetBytes($"{Header}\r\nIND-06,FY2023,2024-03-31,1620,道 産業振興課 集計,{note}\r\n");

        var preview = await Preview(content);
        preview.Encoding.ShouldBe("Shift_JIS");
        preview.Errors.ShouldBeEmpty(string.Join("\n", preview.Errors));
        await ConfirmAndWait(preview);

        var figure = (await Indicator("IND-06")).Measurements.Single(m => m.Period == Period.FiscalYear(2023));
        figure.Note.ShouldBe(note);
        figure.Source.ShouldBe("道 産業振興課 集計");
        figure.RecordedBy.ShouldBe(TestUsers.Editor);
    }

    [Fact]
    public async Task a_utf8_file_with_a_bom_is_read_like_any_other()
    {
        var preview = await Preview([.. Encoding.UTF8.Preamble, .. Utf8(Header, "INF-02,FY2023,2024-03-31,99.2,総務省,光ファイバ整備率")]);

        preview.Encoding.ShouldBe("UTF-8 (BOM)");
        preview.Errors.ShouldBeEmpty(string.Join("\n", preview.Errors));
        await ConfirmAndWait(preview);
        (await Indicator("INF-02")).Measurements.ShouldContain(m => m.Value == 99.2m && m.Note == "光ファイバ整備率");
    }

    [Fact]
    public async Task confirming_records_every_row_in_the_background_and_the_same_file_again_records_nothing()
    {
        var countBefore = (await Indicator("IND-06")).MeasurementCount;
        // 45 months: more than two progress steps.
        var months = Enumerable.Range(0, 45).Select(i => new DateOnly(2020, 9, 1).AddMonths(i)).ToList();
        var file = Utf8([Header, .. months.Select((m, i) =>
            $"IND-06,{m:yyyy-MM},{m.AddMonths(1).AddDays(-1):yyyy-MM-dd},{100 + i},道 集計,")]);

        var preview = await Preview(file);
        preview.Counts.ShouldBe(new ImportCounts(45, 0, 0));
        var done = await ConfirmAndWait(preview);

        done.Processed.ShouldBe(45);
        done.Recorded.ShouldBe(45);
        done.ConfirmedBy.ShouldBe(TestUsers.Editor);
        var research = await Indicator("IND-06");
        research.MeasurementCount.ShouldBe(countBefore + 45);
        research.Measurements.Where(m => m.Source == "道 集計").Select(m => m.Value).ShouldBe(Enumerable.Range(100, 45).Select(v => (decimal)v));

        // Again, as a plain text/csv body this time.
        var eventsBefore = (await App.AllEventsAsync()).Count;
        var again = (await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Text(Encoding.UTF8.GetString(file)).ToUrl(Url);
            s.StatusCodeShouldBe(201);
        })).ReadAsJson<ImportPreview>()!;
        again.Rows.ShouldBeEmpty();
        again.Skipped.Count.ShouldBe(45);
        again.Skipped.ShouldAllBe(s => s.Reason == SkipReason.AlreadyRecorded);
        var refused = await Confirm(again.Id, 400);
        refused.ReadAsText().ShouldContain("no rows to record");
        (await App.AllEventsAsync()).Count.ShouldBe(eventsBefore);
    }

    [Fact]
    public async Task an_editor_typing_a_figure_for_the_same_indicator_meanwhile_does_not_stop_the_import()
    {
        var months = Enumerable.Range(0, 60).Select(i => new DateOnly(2019, 4, 1).AddMonths(i)).ToList();
        var preview = await Preview(Utf8([Header, .. months.Select((m, i) =>
            $"IND-06,{m:yyyy-MM},{m.AddMonths(1).AddDays(-1):yyyy-MM-dd},{200 + i},道 集計,")]));
        await Confirm(preview.Id, 202);

        // Meanwhile, by hand, figures from another source for the same indicator: two people, ten figures each.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(async person =>
        {
            for (var i = 0; i < 10; i++)
                await Host.RecordAsync("IND-06", new { period = $"CY20{10 + i}", asOf = $"20{10 + i}-12-31", value = 1500 + i, source = $"手入力{person}" },
                    person == 0 ? TestUsers.SecondEditor : TestUsers.Administrator);
        }));

        var done = await Eventually.Get(() => Read(preview.Id), p => p.State is ImportState.Done or ImportState.Failed, "the import", seconds: 60);
        done.State.ShouldBe(ImportState.Done, done.Failure);
        done.Errors.ShouldBeEmpty(string.Join("\n", done.Errors));
        done.Recorded.ShouldBe(60);
        var research = await Indicator("IND-06");
        research.Measurements.Count(m => m.Source == "道 集計").ShouldBe(60);
        research.Measurements.Count(m => m.Source!.StartsWith("手入力")).ShouldBe(20);
    }

    [Fact]
    public async Task a_row_whose_figure_someone_recorded_after_the_preview_is_an_error_and_the_other_rows_are_recorded()
    {
        var preview = await Preview(Utf8(Header,
            "IND-06,2018-04,2018-04-30,301,道 集計,",
            "IND-06,2018-05,2018-05-31,302,道 集計,",
            "IND-06,2018-06,2018-06-30,303,道 集計,"));
        preview.Counts.ShouldBe(new ImportCounts(3, 0, 0));
        // Between the preview and the confirmation, by hand: the second row's figure, from the same source.
        await Host.RecordAsync("IND-06", new { period = "2018-05", asOf = "2018-05-31", value = 999, source = "道 集計" }, TestUsers.SecondEditor);

        var done = await ConfirmAndWait(preview);

        done.Processed.ShouldBe(3);
        done.Recorded.ShouldBe(2);
        var error = done.Errors.ShouldHaveSingleItem();
        (error.Line, error.Column).ShouldBe((3, "period"));
        error.Message.ShouldContain("recorded meanwhile");
        var research = await Indicator("IND-06");
        research.Measurements.Where(m => m.Source == "道 集計" && m.Period.Start.Year == 2018 && m.Period.Start.Month is >= 4 and <= 6)
            .Select(m => m.Value).OrderBy(v => v).ShouldBe([301m, 303m, 999m]);
    }

    [Fact]
    public async Task a_large_file_is_recorded_in_batches_and_its_progress_counts_exactly_the_events_it_wrote()
    {
        const int rows = 250; // three batches (a tenth of the file, at least 100 rows each)
        var months = Enumerable.Range(0, rows).Select(i => new DateOnly(1990, 4, 1).AddMonths(i)).ToList();
        var preview = await Preview(Utf8([Header, .. months.Select((m, i) =>
            $"IND-06,{m:yyyy-MM},{m.AddMonths(1).AddDays(-1):yyyy-MM-dd},{i},道 集計 (batches),")]));
        preview.Counts.ShouldBe(new ImportCounts(rows, 0, 0));
        ImportConfirmedHandler.BatchSizeFor(rows).ShouldBe(100);

        var done = await ConfirmAndWait(preview);

        done.Processed.ShouldBe(rows);
        done.Recorded.ShouldBe(rows);
        // Each event names the import it came from (its correlation id), once per row, in the file's order.
        var written = (await App.AllEventsAsync()).Where(e => e.CorrelationId == preview.Id.ToString()).ToList();
        written.Select(e => ((Society5Kpi.Measurements.Recording.MeasurementRecorded)e.Data).Value)
            .ShouldBe(Enumerable.Range(0, rows).Select(i => (decimal)i));
        written.ShouldAllBe(e => e.UserName == TestUsers.Editor);
    }

    [Fact]
    public async Task a_json_body_is_not_a_file_and_is_refused_naming_the_file()
    {
        var result = await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(new { rows = 1 }).ToUrl(Url);
            s.StatusCodeShouldBe(400);
        });
        result.ReadAsJson<ValidationProblemDetails>()!.Errors.Keys.ShouldContain("file");
    }

    [Fact]
    public async Task a_shift_jis_sheet_as_japanese_excel_writes_it_previews_without_errors_and_shows_how_each_cell_was_read()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        // Slashed and era dates, era and 年度 periods, full-width digits and separators, a unit after the number, the
        // blank column and the rows of empty cells Excel leaves behind.
        var sheet = string.Join("\r\n",
            "indicator_code,period,as_of,value,source,note,",
            "IND-06,令和4年度,2023/3/31,\"１，６２０\",道 集計,,",
            "INF-02,2022年度,令和5年3月31日,９９．２%,総務省,,",
            "LIV-03,R4年度,R5.3.31,1.2 人/台,文部科学省,,",
            "ADM-03,令和4年12月,2022年12月31日,５５．７,総務省（再掲）,,",
            ",,,,,,",
            ",,,,,,") + "\r\n";

        var preview = await Preview(Encoding.GetEncoding(932).GetBytes(sheet));

        preview.Encoding.ShouldBe("Shift_JIS");
        preview.Errors.ShouldBeEmpty(string.Join("\n", preview.Errors));
        preview.Rows.Select(r => (r.IndicatorCode, r.Period, r.AsOf, r.Value)).ShouldBe(
        [
            ("IND-06", "FY2022", new DateOnly(2023, 3, 31), 1620m), ("INF-02", "FY2022", new DateOnly(2023, 3, 31), 99.2m),
            ("LIV-03", "FY2022", new DateOnly(2023, 3, 31), 1.2m), ("ADM-03", "2022-12", new DateOnly(2022, 12, 31), 55.7m)
        ]);
        preview.Rows[0].AsTyped!["period"].ShouldBe("令和4年度");
        preview.Rows[0].AsTyped!["value"].ShouldBe("１，６２０");
        preview.Rows[1].AsTyped!["as_of"].ShouldBe("令和5年3月31日");
        preview.Skipped.ShouldBeEmpty("rows of empty cells are not rows");
    }

    [Fact]
    public async Task what_is_still_ambiguous_is_an_error_naming_the_line_the_column_and_the_forms_accepted()
    {
        var preview = await Preview(Utf8(Header,
            "IND-06,R4,2023-03-31,1620,道 集計,",
            "IND-06,FY2022,31/03/2023,1620,道 集計,",
            "IND-06,FY2022,2023-03-31,1.620.5,道 集計,"));

        preview.Errors.Select(e => (e.Line, e.Column)).ShouldBe([(2, "period"), (3, "as_of"), (4, "value")]);
        preview.Errors[0].Message.ShouldContain("令和4年度");
        preview.Errors[1].Message.ShouldContain("令和5年6月30日");
        preview.Errors[2].Message.ShouldContain("１，６２０");
        preview.Rows.ShouldBeEmpty();
    }

    [Fact]
    public async Task a_municipality_is_found_by_its_code_its_statistics_code_or_its_name()
    {
        const string header = "indicator_code,municipality,period,as_of,value,numerator,denominator,source";
        var preview = await Preview(Utf8(header,
            "ADM-03,011002,2023-03,2023-03-31,70.1,\"1,370,000\",\"1,954,000\",区集計",
            "ADM-03,01202,2023-03,2023-03-31,60.2,150000,249000,区集計",
            "ADM-03,小樽市,2023-03,2023-03-31,61.0,69000,113000,区集計",
            "ADM-03,石狩郡当別町,2023-03,2023-03-31,58.0,9000,15500,区集計",
            "ADM-03,東京都千代田区,2023-03,2023-03-31,58.0,9000,15500,区集計"));

        preview.Rows.Select(r => (r.MunicipalityCode, r.MunicipalityName)).ShouldBe(
            [("011002", "札幌市"), ("012025", "函館市"), ("012033", "小樽市"), ("013030", "当別町")]);
        preview.Rows[0].Numerator.ShouldBe(1_370_000m);
        var unknown = preview.Errors.ShouldHaveSingleItem();
        (unknown.Line, unknown.Column).ShouldBe((6, "municipality"));
        unknown.Message.ShouldContain("5-digit code (01100)");
    }

    [Fact]
    public async Task the_template_of_an_indicator_recorded_per_municipality_is_an_excel_sheet_of_the_179_that_imports_back()
    {
        var result = await Host.Scenario(s => s.As(TestUsers.Editor).Get.Url($"{Url}/template?quarter=FY2024Q3&indicator=ADM-03&format=xlsx"));
        result.Context.Response.ContentType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        var workbook = await ReadBytes(result);
        var rows = MiniExcelLibs.MiniExcel.Query(new MemoryStream(workbook), useHeaderRow: true)
            .Cast<IDictionary<string, object?>>().ToList();
        rows.Count.ShouldBe(180, "Hokkaido and the 179");
        rows[0]["municipality_name"].ShouldBe("北海道");
        rows.Skip(1).Select(r => (string)r["municipality"]!).ShouldBe(rows.Skip(1).Select(r => (string)r["municipality"]!).Order());

        // Filled in as a person would, in Excel: a real date cell, numbers as numbers.
        var filled = rows.Select(r => r.ToDictionary(c => c.Key, c => c.Value)).ToList();
        foreach (var (row, value) in new[] { (filled[1], 70.1), (filled[2], 60.2) })
        {
            row["as_of"] = new DateTime(2023, 3, 31);
            row["period"] = "令和4年度";
            row["value"] = value;
            row["numerator"] = value * 1000;
            row["denominator"] = 100000d;
            row["source"] = "市町村集計";
        }
        using var output = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(output, filled);

        var preview = await Preview(output.ToArray(), "figures.xlsx");
        preview.Encoding.ShouldBe("Excel (.xlsx)");
        preview.Errors.ShouldBeEmpty(string.Join("\n", preview.Errors));
        preview.Rows.Select(r => (r.MunicipalityCode, r.Period, r.AsOf, r.Value)).ShouldBe(
            [("011002", "FY2022", new DateOnly(2023, 3, 31), 70.1m), ("012025", "FY2022", new DateOnly(2023, 3, 31), 60.2m)]);
        preview.Skipped.Count.ShouldBe(178);
        await ConfirmAndWait(preview);

        var breakdown = (await Host.Scenario(s => s.As(TestUsers.Editor).Get.Url("/api/indicators/ADM-03/municipalities"))).ReadAsJson<IndicatorBreakdown>()!;
        breakdown.Municipalities.Single(m => m.Code == "011002").AsOf.ShouldBe(new DateOnly(2022, 12, 31), "imported figures are drafts until approved");
        await using var session = App.Store.QuerySession();
        var sapporo = (await Society5Kpi.Municipalities.Figures.MunicipalFigures.OfIndicatorsAsync(session, ["ADM-03"]))["ADM-03/011002"];
        var draft = sapporo.Measurements.LatestDraft()!;
        draft.Value.ShouldBe(70.1m);
        draft.Numerator.ShouldBe(70100m);
    }

    [Fact]
    public async Task a_preview_is_confirmed_once()
    {
        var preview = await Preview(Utf8(Header, "INF-02,FY2023,2024-03-31,99.2,総務省,"));
        await Confirm(preview.Id, 202);

        var second = await Confirm(preview.Id, 400);
        second.ReadAsJson<ValidationProblemDetails>()!.Errors["id"].Single().ShouldContain("already confirmed");
        await Eventually.Get(() => Read(preview.Id), p => p.State == ImportState.Done, "the import");
        (await Indicator("INF-02")).Measurements.Count(m => m.Source == "総務省" && m.Period == Period.FiscalYear(2023)).ShouldBe(1);
    }

    [Fact]
    public async Task the_template_lists_the_indicators_due_in_the_quarter_and_round_trips()
    {
        var result = await Host.Scenario(s => s.As(TestUsers.Editor).Get.Url($"{Url}/template?quarter=FY2024Q3"));
        result.Context.Response.ContentType!.ShouldStartWith("text/csv");
        var bytes = await ReadBytes(result);
        bytes.Take(3).ShouldBe(Encoding.UTF8.Preamble.ToArray());
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        lines[0].ShouldBe("indicator_code,name_ja,unit,period,as_of,value,source,note");
        var indicators = await Host.GetAsJson<PublishedIndicator[]>("/api/indicators");
        var due = indicators!.Where(i => i.Measure != Measure.Qualitative && i.TimelinessOn(new DateOnly(2024, 12, 31)).DueThisQuarter)
            .Select(i => i.Id).ToList();
        due.ShouldContain("LIV-03");
        lines.Skip(1).Select(l => l.Split(',')[0]).ShouldBe(due);
        var pupilsPerComputer = lines.Single(l => l.StartsWith("LIV-03,"));
        pupilsPerComputer.ShouldEndWith(",pupils/PC,FY2023,,,,"); // annual: the fiscal year just ended

        var filled = lines.Select(l => l == pupilsPerComputer ? l.Replace(",FY2023,,,,", ",FY2023,2024-03-31,3.2,文部科学省 調査,") : l);
        var preview = await Preview([.. Encoding.UTF8.Preamble, .. Utf8([.. filled])]);
        preview.Errors.ShouldBeEmpty(string.Join("\n", preview.Errors));
        preview.Rows.Single().IndicatorCode.ShouldBe("LIV-03");
        preview.Skipped.Count.ShouldBe(due.Count - 1);
        preview.Skipped.ShouldAllBe(s => s.Reason == SkipReason.NotFilledIn);
        await ConfirmAndWait(preview);
        (await Indicator("LIV-03")).Measurements.ShouldContain(m => m.Value == 3.2m && m.Period == Period.FiscalYear(2023));
    }

    [Theory]
    [InlineData("2024Q3")]
    [InlineData("FY2024")]
    public async Task a_template_needs_a_fiscal_quarter(string quarter)
    {
        var result = await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Get.Url($"{Url}/template?quarter={quarter}");
            s.StatusCodeShouldBe(400);
        });
        result.ReadAsJson<ValidationProblemDetails>()!.Errors.Keys.ShouldContain("quarter");
    }

    [Fact]
    public async Task an_empty_or_too_large_file_is_refused_naming_the_file()
    {
        foreach (var content in new[] { Array.Empty<byte>(), new byte[CsvUpload.MaxBytes + 1] })
            (await Upload(content, 400)).ReadAsJson<ValidationProblemDetails>()!.Errors.Keys.ShouldContain("file");
    }

    [Fact]
    public async Task another_editor_can_neither_read_nor_confirm_someone_elses_preview()
    {
        var preview = await Preview(Utf8(Header, "INF-02,FY2023,2024-03-31,99.2,総務省,"));

        await Host.Scenario(s =>
        {
            s.As(TestUsers.SecondEditor).Get.Url($"{Url}/{preview.Id}");
            s.StatusCodeShouldBe(404);
        });
        await Confirm(preview.Id, 404, TestUsers.SecondEditor);
        (await Read(preview.Id, TestUsers.Administrator)).State.ShouldBe(ImportState.Previewed);
        await Upload(Utf8(Header), 403, TestUsers.CouncilMember);
    }

    [Fact]
    public async Task the_import_page_offers_the_template_of_the_current_quarter()
    {
        App.Clock.SetJapanDay(new DateOnly(2024, 11, 5));
        var page = await Host.Scenario(s => s.As(TestUsers.Editor).Get.Url("/import"));
        page.ReadAsText().ShouldContain($"{Url}/template?quarter=FY2024Q3");
    }

    private static async Task<byte[]> ReadBytes(IScenarioResult result)
    {
        using var copy = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(copy);
        return copy.ToArray();
    }
}
