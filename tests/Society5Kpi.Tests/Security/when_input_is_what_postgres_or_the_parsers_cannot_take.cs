using System.Net.Http.Headers;
using System.Text;
using Alba;
using Microsoft.AspNetCore.Mvc;
using Society5Kpi.Infrastructure;
using Society5Kpi.Measurements.Importing;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Security;

/// <summary>
/// Input that passes the product's own rules but that a layer below cannot take (PostgreSQL's jsonb, decimal, the
/// multipart reader): still a 400 naming what is wrong and nothing written, never a 500. Found by reading the code
/// behind the fuzzing drill.
/// </summary>
public class when_input_is_what_postgres_or_the_parsers_cannot_take(AppFixture app) : AppSpecification(app)
{
    protected override bool StartsFromTheSeededPlan => true;

    [Fact]
    public async Task a_nul_character_in_a_json_text_is_refused_naming_the_field()
    {
        // jsonb has no \u0000: stored as it is, PostgreSQL would refuse the whole transaction (22P05).
        var problem = await App.ShouldBeRefusedAsync(() => Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post
                .Text("{\"period\":\"FY2023\",\"asOf\":\"2024-03-31\",\"value\":1.5,\"source\":\"a\\u0000b\"}")
                .ContentType("application/json").ToUrl("/api/indicators/LIV-03/measurements");
            s.StatusCodeShouldBe(400);
        }), "source");
        problem.Errors["source"].Single().ShouldContain("NUL");
    }

    [Fact]
    public async Task a_nul_character_in_a_csv_cell_is_refused_by_the_preview()
    {
        var csv = Encoding.UTF8.GetBytes("indicator_code,period,as_of,value,source,note\r\nINF-02,FY2023,2024-03-31,99.2,総\0務省,\r\n");
        var eventsBefore = (await App.AllEventsAsync()).Count;

        var result = await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.ByteArray(csv).ContentType("text/csv").ToUrl("/api/imports/measurements");
            s.StatusCodeShouldBe(400);
        });

        result.ReadAsJson<ValidationProblemDetails>()!.Detail.ShouldContain("NUL");
        (await App.AllEventsAsync()).Count.ShouldBe(eventsBefore);
    }

    [Theory]
    [InlineData(1e300)]
    [InlineData(-1e29)]
    [InlineData(double.MaxValue)]
    public async Task a_spreadsheet_number_beyond_what_a_figure_can_hold_is_a_row_error(double value)
    {
        var rows = new[]
        {
            new Dictionary<string, object?>
            {
                ["indicator_code"] = "INF-02", ["period"] = "FY2023", ["as_of"] = new DateTime(2024, 3, 31), ["value"] = value, ["source"] = "総務省"
            }
        };
        using var output = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(output, rows);

        var preview = (await Upload(output.ToArray(), "figures.xlsx", 201)).ReadAsJson<ImportPreview>()!;

        preview.Rows.ShouldBeEmpty();
        preview.Errors.ShouldContain(e => e.Column == "value", string.Join("\n", preview.Errors));
    }

    [Fact]
    public async Task a_multipart_upload_cut_off_in_the_middle_is_a_400()
    {
        var form = new MultipartFormDataContent("cut")
            { { new ByteArrayContent(Encoding.UTF8.GetBytes("indicator_code,period,as_of,value\r\nINF-02,FY2023,2024-03-31,99.2\r\n")), "file", "f.csv" } };
        var whole = await form.ReadAsByteArrayAsync();
        var eventsBefore = (await App.AllEventsAsync()).Count;

        var result = await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.ByteArray(whole[..(whole.Length / 2)])
                .ContentType("multipart/form-data; boundary=cut").ToUrl("/api/imports/measurements");
            s.StatusCodeShouldBe(400);
        });

        result.ReadAsJson<ProblemDetails>()!.Title.ShouldBe("The request could not be read");
        (await App.AllEventsAsync()).Count.ShouldBe(eventsBefore);
    }

    [Fact]
    public void a_database_that_cannot_be_reached_is_a_503_to_retry_not_a_500()
    {
        var refused = new Npgsql.NpgsqlException("Failed to connect to 127.0.0.1:5432", new System.Net.Sockets.SocketException(111));

        var problem = ProblemMapping.ProblemFor(new Marten.Exceptions.MartenCommandException(new Npgsql.NpgsqlCommand("select 1"), refused))!;

        problem.Status.ShouldBe(503);
        problem.Detail!.ShouldContain("not acknowledged");
    }

    private async Task<IScenarioResult> Upload(byte[] content, string fileName, int status)
    {
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        return await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.MultipartFormData(new MultipartFormDataContent { { file, "file", fileName } }).ToUrl("/api/imports/measurements");
            s.StatusCodeShouldBe(status);
        });
    }
}
