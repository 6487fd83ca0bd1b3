using System.Net;
using Alba;
using Microsoft.AspNetCore.Mvc;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Security;

/// <summary>Bad input gets a clear refusal that names what is wrong and the range that is right, never a 500.</summary>
public class when_input_is_outside_what_the_product_supports(AppFixture app) : AppSpecification(app)
{
    private const string Range = "1989-01-08 to 2101-03-31";

    protected override bool StartsFromTheSeededPlan => true;

    [Theory]
    [InlineData("/api/indicators?asOf=9999-12-31")]
    [InlineData("/api/indicators?asOf=0001-01-01")]
    [InlineData("/api/indicators?asOf=1989-01-07")]
    [InlineData("/api/indicators?asOf=2101-04-01")]
    [InlineData("/api/summaries?asOf=0001-01-01")]
    [InlineData("/api/municipalities/counts?asOf=9999-12-31")]
    public async Task a_far_as_of_date_is_a_400_that_says_the_range(string url)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(400);
        });
        var problem = result.ReadAsJson<ValidationProblemDetails>()!;
        problem.Errors["asOf"].Single().ShouldContain(Range);
    }

    [Theory]
    [InlineData("1989-01-08")]
    [InlineData("2101-03-31")]
    public async Task the_first_and_last_supported_days_are_answered(string day)
    {
        await Host.Scenario(s =>
        {
            s.Get.Url($"/api/indicators?asOf={day}");
            s.StatusCodeShouldBe(200);
        });
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    [InlineData("yesterday")]
    public async Task the_dashboard_says_the_range_instead_of_failing(string day)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/?asOf={day}");
            s.StatusCodeShouldBe(200);
        });
        var page = WebUtility.HtmlDecode(result.ReadAsText());
        page.ShouldContain(Range);
        page.ShouldContain("DAT-01", customMessage: "the figures now are shown instead");
    }

    public static TheoryData<string, object, string> FarDatesInWrites => new()
    {
        { "/api/indicators/INF-02/measurements", new { period = "FY2023", asOf = "0001-01-01", value = 99 }, "asOf" },
        { "/api/indicators/LIV-01/milestones", new { kind = "Case", title = "古い事例", date = "0001-01-01" }, "date" },
        { "/api/municipalities/011002/open-data-start", new { startedOn = "1900-01-01" }, "startedOn" },
        { "/api/municipalities/011002/data-linkage-platform", new { state = "Built", asOf = "0001-01-01" }, "asOf" },
    };

    [Theory]
    [MemberData(nameof(FarDatesInWrites))]
    public Task a_far_date_in_a_write_is_refused_naming_the_field_and_the_range(string url, object body, string field) =>
        App.ShouldBeRefusedAsync(async () =>
        {
            var result = await Host.Scenario(s =>
            {
                s.As(TestUsers.Administrator).Post.Json(body).ToUrl(url);
                s.StatusCodeShouldBe(400);
            });
            result.ReadAsText().ShouldContain(Range);
            return result;
        }, field);

    [Theory]
    [InlineData("//evil.example", "/")]
    [InlineData("/%5Cevil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/roadmap", "/roadmap")]
    public async Task switching_language_returns_to_this_site_only(string returnUrl, string location)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/language/en?returnUrl={returnUrl}");
            s.StatusCodeShouldBe(302);
        });
        result.Context.Response.Headers.Location.ToString().ShouldBe(location);
    }
}
