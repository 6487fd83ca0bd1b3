using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alba;
using Society5Kpi.OpenData;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.OpenData;

/// <summary>
/// The open data shows what was approved, as approved: a draft, a pending correction and a send-back each carry a
/// marker, and no NGSI-LD response in any form, nor the catalogue, may show one or a staff account name.
/// </summary>
public class when_the_public_reads_the_open_data(AppFixture app) : AppSpecification(app)
{
    private const string DraftNote = "MARKER-NGSI-DRAFT-2c7f";
    private const string DraftSource = "MARKER-NGSI-DRAFT-SOURCE-91ad";
    private const string DraftValue = "61.234";
    private const string CorrectionReason = "MARKER-NGSI-CORRECTION-5e08";
    private const string CorrectedValue = "98.765";
    private const string SentBackComment = "MARKER-NGSI-SENT-BACK-b3d1";

    private static readonly string[] Markers = [DraftNote, DraftSource, DraftValue, CorrectionReason, CorrectedValue, SentBackComment];

    protected override bool StartsFromTheSeededPlan => true;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Host.RecordAsync("ADM-03", new { period = "2023-01", asOf = "2023-01-31", value = decimal.Parse(DraftValue), source = DraftSource, note = DraftNote });
        var published = await Host.RecordPublishedAsync("INF-02", new { period = "FY2023", asOf = "2024-03-31", value = 99.2, source = "総務省" });
        await Host.Scenario(s =>
        {
            s.As(TestUsers.SecondEditor).Post.Json(new { value = decimal.Parse(CorrectedValue), reason = CorrectionReason })
                .ToUrl($"/api/indicators/INF-02/measurements/{published.MeasurementId}/corrections");
            s.StatusCodeShouldBe(200);
        });
        var sentBack = await Host.RecordAsync("IND-06", new { period = "FY2023", asOf = "2024-03-31", value = 1620, source = "道 集計" });
        await Host.ReviewAsync("IND-06", sentBack.MeasurementId, "submission", TestUsers.Editor);
        await Host.ReviewAsync("IND-06", sentBack.MeasurementId, "sending-back", TestUsers.Reviewer, new { comment = SentBackComment });
        // A reviewer's judgement is public, but never who made it.
        await Host.Scenario(s =>
        {
            s.As(TestUsers.Reviewer).Post.Json(new { status = "AccelerationNeeded", reason = "残り5市町村は小規模" }).ToUrl("/api/indicators/DAT-01/status-override");
            s.StatusCodeShouldBe(200);
        });
    }

    private IEnumerable<(string Url, string? Accept)> Requests()
    {
        foreach (var accept in new[] { null, "application/ld+json" })
        {
            yield return ("/ngsi-ld/v1/entities?type=KeyPerformanceIndicator", accept);
            yield return ("/ngsi-ld/v1/entities?options=keyValues", accept);
            foreach (var code in new[] { "ADM-03", "INF-02", "IND-06", "DAT-01" })
            {
                var id = KpiEntity.IdOf(code);
                yield return ($"/ngsi-ld/v1/entities/{id}", accept);
                yield return ($"/ngsi-ld/v1/entities/{id}?options=keyValues", accept);
                yield return ($"/ngsi-ld/v1/temporal/entities/{id}", accept);
                yield return ($"/ngsi-ld/v1/temporal/entities/{id}?options=temporalValues", accept);
            }
        }
        yield return ("/catalog.jsonld", null);
    }

    [Fact]
    public async Task no_ngsi_ld_response_nor_the_catalogue_shows_a_draft_a_correction_a_review_comment_or_a_staff_account()
    {
        var leaks = new List<string>();
        foreach (var (url, accept) in Requests())
        {
            var result = await Host.Scenario(s =>
            {
                s.Get.Url(url);
                if (accept is not null) s.WithRequestHeader("Accept", accept);
                s.StatusCodeShouldBe(200);
            });
            var body = result.ReadAsText();
            leaks.AddRange(Markers.Where(body.Contains).Select(m => $"{url} ({accept}): {m}"));
            leaks.AddRange(TestUsers.All.Select(u => u.Name)
                .Where(n => Regex.IsMatch(body, $@"(?<![\w.-]){Regex.Escape(n)}(?![\w-])")).Select(n => $"{url} ({accept}): account {n}"));
        }
        leaks.ShouldBeEmpty();
    }

    private async Task<JsonNode> Simplified(string code)
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url($"/ngsi-ld/v1/entities/{KpiEntity.IdOf(code)}?options=keyValues");
            s.StatusCodeShouldBe(200);
        });
        return JsonNode.Parse(result.ReadAsText())!;
    }

    [Fact]
    public async Task the_approved_figure_and_the_reviewers_judgement_are_shown_as_approved()
    {
        (await Simplified("INF-02"))["kpiValue"]!.GetValue<decimal>().ShouldBe(99.2m, "the correction is not approved yet");
        (await Simplified("ADM-03"))["kpiValue"]!.GetValue<decimal>().ShouldBe(55.7m, "the draft of 2023-01-31 is not published");
        var openData = await Simplified("DAT-01");
        openData["status"]!.GetValue<string>().ShouldBe("AccelerationNeeded");
        openData["statusMethod"]!.GetValue<string>().ShouldContain("残り5市町村は小規模");
    }
}
