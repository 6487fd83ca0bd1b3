using System.Globalization;
using System.Text;
using System.Text.Json;
using Alba;
using CsvHelper;
using Microsoft.AspNetCore.Mvc;
using Society5Kpi.Indicators;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.OpenData;

/// <summary>Citizens and companies take the data: CSV a spreadsheet opens as it is, the JSON API filtered, and the API described.</summary>
public class when_downloading_csv_and_filtering_the_api(AppFixture app) : AppSpecification(app)
{
    protected override bool StartsFromTheSeededPlan => true;

    private async Task<(IScenarioResult Result, byte[] Bytes)> Download(string url)
    {
        var result = await Host.Scenario(s => s.Get.Url(url));
        using var copy = new MemoryStream();
        await result.Context.Response.Body.CopyToAsync(copy);
        return (result, copy.ToArray());
    }

    private static List<Dictionary<string, string>> Rows(byte[] bytes)
    {
        using var csv = CsvReader.Create(bytes, CsvReaderOptions.Default);
        csv.ReadHeader();
        var header = csv.Headers.ToArray();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read()) rows.Add(header.Select((h, i) => (h, csv.GetString(i))).ToDictionary(c => c.h, c => c.Item2));
        return rows;
    }

    [Fact]
    public async Task the_indicators_csv_is_utf8_with_a_bom_and_its_japanese_reads_back_through_a_csv_reader()
    {
        var (result, bytes) = await Download("/data/indicators.csv");
        result.Context.Response.ContentType.ShouldBe("text/csv; charset=utf-8");
        result.Context.Response.Headers.ContentDisposition.ToString().ShouldContain("indicators.csv");
        bytes.Take(3).ShouldBe(Encoding.UTF8.Preamble.ToArray());

        var rows = Rows(bytes);
        rows.Count.ShouldBe(36);
        var openData = rows.Single(r => r["code"] == "DAT-01");
        openData["name_ja"].ShouldBe("オープンデータ取組済の市町村数");
        openData["latest_value"].ShouldBe("174");
        openData["latest_as_of"].ShouldBe("2024-01-31");
        openData["latest_as_of_ja"].ShouldBe("令和6年1月31日");
        openData["target_period_ja"].ShouldBe("令和7年度");
        openData["status"].ShouldBe("OnTrack");
        openData["status_ja"].ShouldBe("順調");
        openData["area_ja"].ShouldBe("データの利活用");
    }

    [Fact]
    public async Task the_measurements_csv_has_every_published_figure_of_hokkaido_and_of_each_municipality()
    {
        var rows = Rows((await Download("/data/measurements.csv")).Bytes);
        rows.Count(r => r["indicator_code"] == "ADM-03" && r["municipality_code"] == "").ShouldBe(46);
        rows.Count(r => r["indicator_code"] == "ADM-03" && r["municipality_code"] != "").ShouldBe(8_234);
        var sapporo = rows.Single(r => r["municipality_code"] == "011002" && r["as_of"] == "2022-12-31");
        sapporo["municipality_name"].ShouldBe("札幌市");
        sapporo["value"].ShouldBe("56.8");
        sapporo["period_ja"].ShouldBe("令和4年12月");
        sapporo["as_of_ja"].ShouldBe("令和4年12月31日");
        rows.Count(r => r["indicator_code"] == "DAT-01").ShouldBe(1);

        var one = Rows((await Download("/data/indicators/DAT-01.csv")).Bytes).ShouldHaveSingleItem();
        one["value"].ShouldBe("174");
        (await Host.Scenario(s => { s.Get.Url("/data/indicators/NOPE-1.csv"); s.StatusCodeShouldBe(404); })).ShouldNotBeNull();
    }

    [Fact]
    public async Task a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text_and_negative_numbers_stay_numbers()
    {
        await Host.RecordPublishedAsync("INF-02", new { period = "FY2023", asOf = "2024-03-31", value = 99.2, source = "=HYPERLINK(\"http://evil.example\",\"x\")", note = "@SUM(A1:A9)" });
        await Host.RecordPublishedAsync("IND-01", new { period = "CY2023", asOf = "2023-12-31", value = 11000, source = "+cmd|'/C calc'!A0", note = "-2+3" });

        var text = Encoding.UTF8.GetString((await Download("/data/measurements.csv")).Bytes);
        text.ShouldNotContain(",=HYPERLINK");
        text.ShouldNotContain(",@SUM");
        text.ShouldNotContain(",+cmd");
        text.ShouldNotContain(",-2+3");
        var fiber = Rows(Encoding.UTF8.GetBytes(text)).Single(r => r["indicator_code"] == "INF-02");
        fiber["source"].ShouldBe("'=HYPERLINK(\"http://evil.example\",\"x\")");
        fiber["note"].ShouldBe("'@SUM(A1:A9)");
        fiber["value"].ShouldBe("99.2");
    }

    [Fact]
    public async Task the_json_api_is_filtered_by_area_by_indicator_and_by_period_range()
    {
        var data = (await Host.GetAsJson<PublishedIndicator[]>("/api/indicators?area=data"))!;
        data.Where(i => i.PlanIndicator).Select(i => i.Id).ShouldBe(["DAT-01", "DAT-02", "DAT-03"]);
        data.ShouldAllBe(i => i.Area == Society5Kpi.Domain.Area.Data);
        var chosen = (await Host.GetAsJson<PublishedIndicator[]>("/api/indicators?indicator=ADM-03,dat-01"))!;
        chosen.Select(i => i.Id).ShouldBe(["ADM-03", "DAT-01"]);

        var fy2021 = (await Host.GetAsJson<PublishedIndicator[]>("/api/indicators?indicator=ADM-03&from=令和3年度&to=FY2021"))!.Single();
        // Months of FY2021 (a count as of the 1st closes the month before): 2021-04 to 2022-02; 2022-04-01 was not published.
        fy2021.Figures.ShouldAllBe(f => f.Period.Start >= new DateOnly(2021, 4, 1) && f.Period.End <= new DateOnly(2022, 3, 31));
        fy2021.Figures.Count.ShouldBe(11);
        fy2021.Latest!.Value.ShouldBe(55.7m, "the latest and the status stay those of every figure");

        var problem = (await Host.Scenario(s =>
        {
            s.Get.Url("/api/indicators?area=space&from=someday");
            s.StatusCodeShouldBe(400);
        })).ReadAsJson<ValidationProblemDetails>()!;
        problem.Errors.Keys.ShouldBe(["area", "from"], ignoreOrder: true);
    }

    [Fact]
    public async Task the_openapi_document_describes_the_public_and_the_staff_endpoints_with_their_problem_answers()
    {
        var result = await Host.Scenario(s => s.Get.Url("/openapi/v1.json"));
        using var document = JsonDocument.Parse(result.ReadAsText());
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/indicators", "/api/indicators/{code}/measurements", "/embed/indicators/{code}", "/data/indicators.csv", "/oembed" })
            paths.TryGetProperty(path, out _).ShouldBeTrue(path);
        var record = paths.GetProperty("/api/indicators/{code}/measurements").GetProperty("post").GetProperty("responses");
        foreach (var status in new[] { "400", "401", "403", "409" })
            record.GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _).ShouldBeTrue(status);
        var read = paths.GetProperty("/api/indicators").GetProperty("get");
        read.GetProperty("responses").TryGetProperty("429", out _).ShouldBeTrue();
        read.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ShouldBe(["asOf", "area", "indicator", "from", "to"], ignoreOrder: true);

        var docs = await Host.Scenario(s => s.Get.Url("/api/docs/"));
        var page = docs.ReadAsText();
        page.ShouldContain("scalar");
        page.ShouldNotContain("cdn.jsdelivr.net");
        page.ShouldNotContain("fonts.scalar.com");
    }
}
