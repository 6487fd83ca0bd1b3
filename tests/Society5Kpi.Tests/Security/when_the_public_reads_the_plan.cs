using System.Net;
using System.Text.RegularExpressions;
using Alba;
using Marten;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Municipalities.Figures;
using Society5Kpi.Summaries;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Security;

/// <summary>
/// The public sees what was approved, as approved, and nothing else. A draft, a pending correction and a send-back
/// each carry a marker; then every anonymous GET route of the routing table (API, pages, and whatever is added
/// later) is fetched, and none may show a marker or a staff account name.
/// </summary>
public class when_the_public_reads_the_plan(AppFixture app) : AppSpecification(app)
{
    private const string DraftMarker = "MARKER-DRAFT-7d1e";
    private const string DraftSourceMarker = "MARKER-DRAFT-SOURCE-3b9a";
    private const string DraftValue = "87.654";
    private const string CorrectionMarker = "MARKER-CORRECTION-51c0";
    private const string CorrectedValue = "99.876";
    private const string SentBackMarker = "MARKER-SENT-BACK-a4f2";
    private const string SentBackNote = "MARKER-SENT-BACK-NOTE-e83c";
    private const string MunicipalDraftMarker = "MARKER-MUNICIPAL-DRAFT-c61d";
    private const string MunicipalDraftValue = "76.543";
    private const string MunicipalCorrectionMarker = "MARKER-MUNICIPAL-CORRECTION-9f27";
    private const string MunicipalCorrectedValue = "78.912";
    private const string Sapporo = "011002";

    private static readonly string[] Markers = [DraftMarker, DraftSourceMarker, DraftValue, CorrectionMarker, CorrectedValue, SentBackMarker, SentBackNote,
        MunicipalDraftMarker, MunicipalDraftValue, MunicipalCorrectionMarker, MunicipalCorrectedValue];

    private static readonly string[] StaffNames = TestUsers.All.Select(u => u.Name).ToArray();

    private Guid _draft, _corrected, _sentBack, _municipalDraft, _municipalCorrected;

    protected override bool StartsFromTheSeededPlan => true;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();

        // A draft nobody has submitted, with its own note and source.
        _draft = (await Host.RecordAsync("LIV-04", new
        {
            period = "FY2023", asOf = "2024-03-31", value = decimal.Parse(DraftValue), source = DraftSourceMarker, note = DraftMarker
        })).MeasurementId;
        // A published figure, then a correction waiting for review.
        _corrected = (await Host.RecordPublishedAsync("INF-02", new { period = "FY2023", asOf = "2024-03-31", value = 99.2, source = "総務省" })).MeasurementId;
        await Host.Scenario(s =>
        {
            s.As(TestUsers.SecondEditor).Post.Json(new { value = decimal.Parse(CorrectedValue), reason = CorrectionMarker })
                .ToUrl($"/api/indicators/INF-02/measurements/{_corrected}/corrections");
            s.StatusCodeShouldBe(200);
        });
        // A figure sent back with a comment.
        _sentBack = (await Host.RecordAsync("IND-06", new { period = "FY2023", asOf = "2024-03-31", value = 1620, source = "道 集計", note = SentBackNote })).MeasurementId;
        await Host.ReviewAsync("IND-06", _sentBack, "submission", TestUsers.Editor);
        await Host.ReviewAsync("IND-06", _sentBack, "sending-back", TestUsers.Reviewer, new { comment = SentBackMarker });
        // The same for a municipality's figures: a draft for Sapporo, and a published one with a correction waiting.
        _municipalDraft = (await Host.RecordAsync("ADM-03", new
        {
            period = "2023-06", asOf = "2023-06-30", value = decimal.Parse(MunicipalDraftValue), municipality = Sapporo,
            numerator = 1_400_000, denominator = 1_954_000, source = MunicipalDraftMarker, note = MunicipalDraftMarker
        })).MeasurementId;
        _municipalCorrected = (await Host.RecordAsync("ADM-03", new
        {
            period = "2023-03", asOf = "2023-03-31", value = 70.1, municipality = Sapporo, numerator = 1_370_000, denominator = 1_954_000, source = "札幌市"
        })).MeasurementId;
        await Host.PublishAsync("ADM-03", _municipalCorrected, Sapporo);
        await Host.Scenario(s =>
        {
            s.As(TestUsers.SecondEditor).Post.Json(new { value = decimal.Parse(MunicipalCorrectedValue), reason = MunicipalCorrectionMarker, municipality = Sapporo })
                .ToUrl($"/api/indicators/ADM-03/measurements/{_municipalCorrected}/corrections");
            s.StatusCodeShouldBe(200);
        });
        // Public acts by staff: an override, a milestone, roadmap progress and a deferral. Public, but never who did them.
        await Host.Scenario(s =>
        {
            s.As(TestUsers.Reviewer).Post.Json(new { status = "AccelerationNeeded", reason = "残り5市町村は小規模" }).ToUrl("/api/indicators/DAT-01/status-override");
            s.StatusCodeShouldBe(200);
        });
        await Host.Scenario(s =>
        {
            s.As(TestUsers.Administrator).Post.Json(new { kind = "Case", title = "遠隔医療の事例", date = "2024-02-01" }).ToUrl("/api/indicators/LIV-01/milestones");
            s.StatusCodeShouldBe(201);
        });
        await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(new { kind = "Deferred", newPlannedTo = "FY2026", reason = "予算の都合" }).ToUrl("/api/roadmap/RM-15/progress");
            s.StatusCodeShouldBe(200);
        });
        await Host.Scenario(s =>
        {
            s.As(TestUsers.Editor).Post.Json(new { kind = "Started", fiscalYear = "FY2023" }).ToUrl("/api/roadmap/RM-12/progress");
            s.StatusCodeShouldBe(200);
        });
    }

    /// <summary>Every GET route the app maps, static files aside.</summary>
    private IReadOnlyList<string> ReadRoutes() =>
        Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>() is not { } methods || methods.HttpMethods.Contains("GET"))
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            // Static files aside; widgets (.svg), downloads (.csv) and the catalogue (.jsonld) are routes like any other.
            .Where(r => !Regex.IsMatch(r, @"\.(css|js|png|ico|map|woff2?|txt|html|geojson|gz|br)$|^/_") && !r.Contains("{**"))
            .Distinct().Order().ToList();

    /// <summary>The concrete URLs of a route: each parameter filled with what the markers sit on.</summary>
    private IEnumerable<string> Urls(string route)
    {
        var codes = route.StartsWith("/api/municipalities") ? ["011002"]
            : route.StartsWith("/api/roadmap") ? new[] { "RM-12", "RM-15" }
            : ["LIV-04", "INF-02", "IND-06", "DAT-01", "LIV-01", "ADM-03"];
        foreach (var code in codes)
        foreach (var id in new[] { _draft, _corrected, _sentBack, _municipalDraft, _municipalCorrected })
        foreach (var area in Enum.GetValues<Area>().Select(PlanSummary.IdOf).Prepend(PlanSummary.WholePlan))
        {
            var url = Regex.Replace(route, @"\{code(:[^}]*)?\}", code, RegexOptions.IgnoreCase);
            url = Regex.Replace(url, @"\{(id|measurementId)(:[^}]*)?\}", id.ToString());
            url = Regex.Replace(url, @"\{area(:[^}]*)?\}", area);
            url = Regex.Replace(url, @"\{culture(:[^}]*)?\}", "en");
            url = Regex.Replace(url, @"\{[^}]+\}", "x");
            yield return url;
        }
    }

    private async Task<(int Status, string Body)> Fetch(string url, string? user = null)
    {
        var result = await Host.Scenario(s =>
        {
            if (user is not null) s.As(user);
            s.Get.Url(url);
            s.IgnoreStatusCode();
        });
        // Pages write Japanese as character references; decode so nothing hides behind them.
        return (result.Context.Response.StatusCode, WebUtility.HtmlDecode(result.ReadAsText()));
    }

    [Fact]
    public async Task no_anonymous_route_shows_a_draft_a_pending_correction_a_review_comment_or_a_staff_account()
    {
        var routes = ReadRoutes();
        routes.ShouldContain("/api/indicators");
        routes.ShouldContain("/api/indicators/{code}");
        routes.ShouldContain("/");
        routes.ShouldContain("/roadmap");

        var leaks = new List<string>();
        var fetched = 0;
        // The as-of views fold the events themselves: a second way for a draft to slip through.
        var today = DateTime.UtcNow.AddHours(9).ToString("yyyy-MM-dd");
        string[] asOf = [$"/api/indicators?asOf={today}", $"/?asOf={today}", $"/api/summaries?asOf={today}", $"/api/municipalities/counts?asOf={today}",
            $"/report?asOf={today}", "/oembed?url=http%3A%2F%2Flocalhost%2Findicators%2FLIV-04", "/embed/indicators/LIV-04?lang=en"];
        foreach (var url in routes.SelectMany(Urls).Concat(asOf).Distinct())
        {
            var (status, body) = await Fetch(url);
            status.ShouldBeLessThan(500, url);
            if (status == 200) fetched++;
            leaks.AddRange(Markers.Where(body.Contains).Select(m => $"{url}: {m}"));
            leaks.AddRange(StaffNames.Where(n => Regex.IsMatch(body, $@"(?<![\w.-]){Regex.Escape(n)}(?![\w-])")).Select(n => $"{url}: account {n}"));
        }

        leaks.ShouldBeEmpty();
        fetched.ShouldBeGreaterThan(10);
    }

    [Fact]
    public async Task staff_still_see_the_drafts_and_who_did_what()
    {
        // The markers are really in the store: the check above could fail.
        var (_, working) = await Fetch("/api/indicators", TestUsers.CouncilMember);
        working.ShouldContain(DraftMarker);
        working.ShouldContain(CorrectionMarker);
        working.ShouldContain(SentBackMarker);
        working.ShouldContain($"\"{TestUsers.Editor}\"");
        var (_, page) = await Fetch("/", TestUsers.CouncilMember);
        page.ShouldContain("87.654");

        await using var session = App.Store.QuerySession();
        var sapporo = (await MunicipalFigures.OfIndicatorsAsync(session, ["ADM-03"]))[MunicipalFigures.IdOf("ADM-03", Sapporo)];
        sapporo.Measurements.Single(m => m.MeasurementId == _municipalDraft).Note.ShouldBe(MunicipalDraftMarker);
        var pending = sapporo.Measurements.Single(m => m.MeasurementId == _municipalCorrected);
        (pending.CorrectionReason, pending.Value).ShouldBe((MunicipalCorrectionMarker, decimal.Parse(MunicipalCorrectedValue)));
    }

    [Fact]
    public async Task the_public_figure_is_the_approved_one_with_its_approval_date()
    {
        var fiber = (await Host.GetAsJson<PublishedIndicator>("/api/indicators/INF-02"))!;
        var figure = fiber.Figures.ShouldHaveSingleItem();
        figure.Value.ShouldBe(99.2m, "the correction is not approved yet");
        figure.CorrectionReason.ShouldBeNull();
        figure.Source.ShouldBe("総務省");
        figure.PublishedOn.ShouldBe(Society5Kpi.Domain.JapanTime.Today(DateTimeOffset.UtcNow));

        await Host.ReviewAsync("INF-02", _corrected, "submission", TestUsers.SecondEditor);
        await Host.ReviewAsync("INF-02", _corrected, "approval", TestUsers.Reviewer);

        var approved = (await Host.GetAsJson<PublishedIndicator>("/api/indicators/INF-02"))!.Figures.ShouldHaveSingleItem();
        approved.Value.ShouldBe(99.876m);
        approved.CorrectionReason.ShouldBe(CorrectionMarker, "an approved correction says why");
    }
}
