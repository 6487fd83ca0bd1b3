using Alba;
using Society5Kpi.Indicators;
using Society5Kpi.Indicators.Milestones;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Measurements;

/// <summary>Promotion goals (推進目標) such as telemedicine are followed by milestones and cases, not a percentage.</summary>
public class when_recording_a_milestone(AppFixture app) : AppSpecification(app)
{
    private const string Telemedicine = "LIV-01";

    protected override bool StartsFromTheSeededPlan => true;

    private Task<IScenarioResult> Post(string code, object body, int status) => Host.Scenario(s =>
    {
        s.As(TestUsers.Editor).Post.Json(body).ToUrl($"/api/indicators/{code}/milestones");
        s.StatusCodeShouldBe(status);
    });

    [Fact]
    public async Task a_case_with_its_municipality_and_link_is_shown_with_the_indicator()
    {
        await Post(Telemedicine, new
        {
            kind = "Case", title = "遠隔医療による専門医の助言（道北の病院）", date = "2024-02-01",
            municipalityCode = "012041", link = "https://www.pref.hokkaido.lg.jp/"
        }, 201);

        var indicator = (await Host.GetAsJson<PublishedIndicator>($"/api/indicators/{Telemedicine}"))!;
        var milestone = indicator.Milestones.ShouldHaveSingleItem();
        milestone.Kind.ShouldBe(MilestoneKind.Case);
        milestone.MunicipalityCode.ShouldBe("012041");
        indicator.Status.ShouldBe(Society5Kpi.Domain.Status.Qualitative);
        var staff = (await Host.Scenario(s => s.As(TestUsers.Reviewer).Get.Url($"/api/indicators/{Telemedicine}"))).ReadAsJson<IndicatorProgress>()!;
        staff.Milestones.ShouldHaveSingleItem().RecordedBy.ShouldBe(TestUsers.Editor, "staff see who recorded it; the public does not");
    }

    public static TheoryData<string, object, string> BadInput => new()
    {
        { "INF-02", new { kind = "Case", title = "x", date = "2024-02-01" }, "indicatorCode" },
        { Telemedicine, new { kind = "Case", date = "2024-02-01" }, "title" },
        { Telemedicine, new { kind = "Case", title = "x", date = "2099-02-01" }, "date" },
        { Telemedicine, new { kind = "Case", title = "x", date = "2024-02-01", municipalityCode = "999999" }, "municipalityCode" },
        { Telemedicine, new { kind = "Case", title = "x", date = "2024-02-01", link = "javascript:alert(1)" }, "link" },
        { Telemedicine, new { title = "x", date = "2024-02-01" }, "kind" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public Task bad_input_is_refused_with_the_field_named_and_nothing_is_written(string code, object body, string field) =>
        App.ShouldBeRefusedAsync(() => Post(code, body, 400), field);
}
