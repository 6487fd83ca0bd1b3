using System.Net.Http.Headers;
using System.Text;
using Alba;
using Society5Kpi.Measurements.Importing;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Security;

/// <summary>
/// A page on another site that gets a signed-in person's browser to post to the API is refused, whatever cookie the
/// request carries: the browser says where the request comes from (Origin, or Sec-Fetch-Site), and only this site may write.
/// </summary>
public class when_another_site_sends_a_write(AppFixture app) : AppSpecification(app)
{
    private static readonly object Figure = new { period = "FY2023", asOf = "2024-03-31", value = 99.2, source = "総務省" };

    protected override bool StartsFromTheSeededPlan => true;

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "http://localhost.evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    public async Task a_figure_posted_from_another_site_with_a_valid_session_is_refused_and_nothing_is_written(string header, string value)
    {
        var eventsBefore = (await App.AllEventsAsync()).Count;

        var result = await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(Figure).ToUrl("/api/indicators/INF-02/measurements");
            s.WithRequestHeader(header, value);
            s.StatusCodeShouldBe(403);
        });

        result.ReadAsText().ShouldContain("another site");
        (await App.AllEventsAsync()).Count.ShouldBe(eventsBefore);
    }

    [Fact]
    public async Task the_same_write_from_this_site_is_accepted()
    {
        await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(Figure).ToUrl("/api/indicators/INF-02/measurements");
            s.WithRequestHeader("Origin", "http://localhost");
            s.WithRequestHeader("Sec-Fetch-Site", "same-origin");
            s.StatusCodeShouldBe(201);
        });
    }

    [Fact]
    public async Task a_csv_upload_and_the_body_less_confirm_from_another_site_are_refused()
    {
        var csv = Encoding.UTF8.GetBytes("indicator_code,period,as_of,value,source,note\r\nINF-02,FY2023,2024-03-31,99.2,総務省,\r\n");
        MultipartFormDataContent Form()
        {
            var file = new ByteArrayContent(csv);
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            return new MultipartFormDataContent { { file, "file", "figures.csv" } };
        }
        await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.MultipartFormData(Form()).ToUrl("/api/imports/measurements");
            s.WithRequestHeader("Origin", "https://evil.example");
            s.StatusCodeShouldBe(403);
        });

        var preview = (await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.MultipartFormData(Form()).ToUrl("/api/imports/measurements");
            s.StatusCodeShouldBe(201);
        })).ReadAsJson<ImportPreview>()!;
        await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Url($"/api/imports/measurements/{preview.Id}/confirm");
            s.WithRequestHeader("Origin", "https://evil.example");
            s.StatusCodeShouldBe(403);
        });
        var after = (await Host.Scenario(s => s.As(TestUsers.Editor).Get.Url($"/api/imports/measurements/{preview.Id}"))).ReadAsJson<ImportPreview>()!;
        after.State.ShouldBe(ImportState.Previewed);
    }

    [Fact]
    public async Task signing_in_from_another_site_is_refused_too()
    {
        await Host.Scenario(s =>
        {
            s.Post.Json(new { userName = TestUsers.Editor, password = TestUsers.Password }).ToUrl("/api/session");
            s.WithRequestHeader("Origin", "https://evil.example");
            s.StatusCodeShouldBe(403);
        });
    }
}
