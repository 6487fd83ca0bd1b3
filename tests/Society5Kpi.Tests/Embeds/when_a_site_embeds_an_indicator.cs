using System.Net;
using System.Text;
using System.Text.Json;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Society5Kpi.Domain;
using Society5Kpi.Embeds;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Embeds;

/// <summary>
/// A municipality's site, the prefecture's portal or a newspaper puts a KPI on its page: an iframe or an img, light,
/// cacheable, framed by anyone, telling its height, and showing only what was published.
/// </summary>
public class when_a_site_embeds_an_indicator(AppFixture app) : AppSpecification(app)
{
    protected override bool StartsFromTheSeededPlan => true;

    private async Task<IScenarioResult> Get(string url, Action<Scenario>? more = null) => await Host.Scenario(s =>
    {
        s.Get.Url(url);
        more?.Invoke(s);
        s.IgnoreStatusCode();
    });

    private static int Status(IScenarioResult r) => r.Context.Response.StatusCode;

    [Fact]
    public async Task the_widget_shows_the_value_the_target_and_its_year_the_progress_the_status_and_the_as_of_date_with_a_link_back()
    {
        var page = (await Get("/embed/indicators/DAT-01")).ReadAsText();
        page.ShouldContain("174 市町村");
        page.ShouldContain("目標 179 市町村（令和7年度）");
        page.ShouldContain("順調");
        page.ShouldContain("2024-01-31 時点");
        page.ShouldContain("基準値から目標まで");
        page.ShouldContain("http://localhost/indicators/DAT-01");
        page.ShouldNotContain("plotly");
        page.ShouldNotContain("_framework/blazor");

        var english = (await Get("/embed/indicators/DAT-01?lang=en")).ReadAsText();
        english.ShouldContain("Target 179 municipalities (FY2025)");
        english.ShouldContain("On track");

        var svg = await Get("/embed/indicators/ADM-03.svg?theme=dark&size=large");
        svg.Context.Response.ContentType.ShouldBe("image/svg+xml; charset=utf-8");
        var image = svg.ReadAsText();
        image.ShouldContain("<title id=\"t\">ADM-03 マイナンバーカードの普及率</title>");
        image.ShouldContain("<desc id=\"d\">55.7 %");
        image.ShouldContain("<polyline", customMessage: "the sparkline");
        image.ShouldContain("#1d2733", customMessage: "the dark theme");
    }

    [Theory]
    [InlineData("?lang=xx&theme=neon&size=huge&sparkline=maybe")]
    [InlineData("?size=999&theme=&lang=")]
    [InlineData("?size=%00")]
    public async Task options_it_does_not_know_fall_back_to_the_default_instead_of_an_error(string query)
    {
        var odd = await Get("/embed/indicators/ADM-03" + query);
        Status(odd).ShouldBe(200);
        odd.ReadAsText().ShouldBe((await Get("/embed/indicators/ADM-03")).ReadAsText());
        Status(await Get("/embed/indicators/ADM-03.svg" + query)).ShouldBe(200);
        Status(await Get("/embed/areas/data" + query)).ShouldBe(200);
    }

    [Theory]
    [InlineData("/embed/indicators/ADM-03")]
    [InlineData("/embed/indicators/ADM-03.svg")]
    [InlineData("/embed/indicators/ADM-03?size=large")]
    [InlineData("/embed/areas/plan")]
    [InlineData("/embed/areas/living.svg")]
    public async Task every_widget_is_under_15_kb_and_framable_by_any_site(string url)
    {
        var widget = await Get(url);
        Status(widget).ShouldBe(200);
        Encoding.UTF8.GetByteCount(widget.ReadAsText()).ShouldBeLessThan(15 * 1024);
        widget.Context.Response.Headers.ContentSecurityPolicy.ToString().ShouldBe("frame-ancestors *");
        widget.Context.Response.Headers.CacheControl.ToString().ShouldStartWith("public, max-age=");
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/indicators/ADM-03")]
    [InlineData("/api/indicators")]
    [InlineData("/account/login")]
    public async Task every_other_page_may_be_framed_by_this_site_only(string url) =>
        (await Get(url)).Context.Response.Headers.ContentSecurityPolicy.ToString().ShouldBe("frame-ancestors 'self'");

    [Fact]
    public async Task a_conditional_request_gets_304_until_a_figure_of_the_indicator_is_published_or_corrected()
    {
        var first = await Get("/embed/indicators/INF-02");
        var etag = first.Context.Response.Headers.ETag.ToString();
        etag.ShouldStartWith("\"");
        var again = await Get("/embed/indicators/INF-02", s => s.WithRequestHeader("If-None-Match", etag));
        Status(again).ShouldBe(304);
        again.ReadAsText().ShouldBeEmpty();

        // A draft changes nothing the widget shows: still 304.
        var figure = await Host.RecordAsync("INF-02", new { period = "FY2023", asOf = "2024-03-31", value = 99.2, source = "総務省" });
        Status(await Get("/embed/indicators/INF-02", s => s.WithRequestHeader("If-None-Match", etag))).ShouldBe(304);

        await Host.PublishAsync("INF-02", figure.MeasurementId);
        var published = await Get("/embed/indicators/INF-02", s => s.WithRequestHeader("If-None-Match", etag));
        Status(published).ShouldBe(200);
        published.ReadAsText().ShouldContain("99.2 %");
        var publishedTag = published.Context.Response.Headers.ETag.ToString();

        await Host.Scenario(s =>
        {
            s.As(TestUsers.SecondEditor).Post.Json(new { value = 99.3, reason = "確定値" })
                .ToUrl($"/api/indicators/INF-02/measurements/{figure.MeasurementId}/corrections");
            s.StatusCodeShouldBe(200);
        });
        Status(await Get("/embed/indicators/INF-02", s => s.WithRequestHeader("If-None-Match", publishedTag))).ShouldBe(304, "a correction waiting for review is not shown");
        await Host.ReviewAsync("INF-02", figure.MeasurementId, "submission", TestUsers.SecondEditor);
        await Host.ReviewAsync("INF-02", figure.MeasurementId, "approval", TestUsers.Reviewer);
        var corrected = await Get("/embed/indicators/INF-02", s => s.WithRequestHeader("If-None-Match", publishedTag));
        Status(corrected).ShouldBe(200);
        corrected.ReadAsText().ShouldContain("99.3 %");
    }

    [Fact]
    public async Task hostile_text_in_a_source_or_a_name_is_written_as_text()
    {
        const string hostile = "<script>alert('x')</script>\" onload=\"alert(1)";
        using (var scope = Host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync<Society5Kpi.Indicators.Defining.IndicatorDefinitionResult>(
                new Society5Kpi.Indicators.Defining.DefineIndicator("REF-91", Area.Data, "試験", "Test", "試験<b>指標</b>", "Test <i>indicator</i>", "件", "件",
                    Direction.Increase, Measure.Level, ReportingFrequency.Annual, false, 1, Period.FiscalYear(2019), null, 10, Period.FiscalYear(2025),
                    null, hostile, "spec"));
        await Host.RecordPublishedAsync("REF-91", new { period = "FY2023", asOf = "2024-03-31", value = 5, source = hostile });

        foreach (var url in new[] { "/embed/indicators/REF-91", "/embed/indicators/REF-91.svg", "/embed/indicators/REF-91?lang=en" })
        {
            var body = (await Get(url)).ReadAsText();
            body.ShouldNotContain("<script>alert");
            body.ShouldNotContain("\" onload=\"");
            body.ShouldNotContain("<b>指標</b>");
            body.ShouldNotContain("<i>indicator</i>");
        }
        (await Get("/embed/indicators/REF-91")).ReadAsText().ShouldContain("&lt;script&gt;alert(");
    }

    [Fact]
    public async Task the_frame_tells_its_host_its_height_and_the_host_script_takes_it_only_from_the_widgets_site()
    {
        (await Get("/embed/indicators/ADM-03")).ReadAsText().ShouldContain("parent.postMessage({type:'s5k-embed-height'");
        var script = (await Get("/embed/resize.js")).ReadAsText();
        script.ShouldContain("event.origin !== origin");
        script.ShouldContain("contentWindow === event.source");
    }

    [Fact]
    public async Task oembed_gives_a_rich_embed_that_obeys_the_hosts_limits()
    {
        var answer = await Get("/oembed?url=" + Uri.EscapeDataString("http://localhost/indicators/ADM-03?size=large") + "&format=json&maxwidth=300&maxheight=120");
        Status(answer).ShouldBe(200);
        using var json = JsonDocument.Parse(answer.ReadAsText());
        var root = json.RootElement;
        root.GetProperty("type").GetString().ShouldBe("rich");
        root.GetProperty("version").GetString().ShouldBe("1.0");
        root.GetProperty("width").GetInt32().ShouldBe(300);
        root.GetProperty("height").GetInt32().ShouldBe(120);
        root.GetProperty("provider_name").GetString().ShouldBe(OEmbed.ProviderName);
        root.GetProperty("cache_age").GetInt32().ShouldBeGreaterThan(0);
        var html = root.GetProperty("html").GetString()!;
        html.ShouldContain("<iframe src=\"http://localhost/embed/indicators/ADM-03?size=large\" width=\"300\" height=\"120\"");
        html.ShouldContain("/embed/resize.js");

        var unlimited = JsonDocument.Parse((await Get("/oembed?url=" + Uri.EscapeDataString("http://localhost/embed/indicators/ADM-03"))).ReadAsText()).RootElement;
        unlimited.GetProperty("width").GetInt32().ShouldBe(360);
        Status(await Get("/oembed?url=" + Uri.EscapeDataString("http://localhost/indicators/NOPE-1"))).ShouldBe(404);
        Status(await Get("/oembed?url=" + Uri.EscapeDataString("http://localhost/roadmap"))).ShouldBe(404);
        Status(await Get("/oembed?url=not-a-url")).ShouldBe(404);
        Status(await Get("/oembed?url=" + Uri.EscapeDataString("http://localhost/indicators/ADM-03") + "&format=xml")).ShouldBe(501);
    }

    [Theory]
    [InlineData("/indicators/ADM-03")]
    [InlineData("/embed/indicators/ADM-03")]
    [InlineData("/embed/areas/plan")]
    public async Task indicator_and_widget_pages_carry_the_oembed_discovery_link(string url)
    {
        var page = WebUtility.HtmlDecode((await Get(url)).ReadAsText());
        page.ShouldContain("<link rel=\"alternate\" type=\"application/json+oembed\" href=\"http://localhost/oembed?url=");
    }

    [Fact]
    public async Task the_indicator_page_offers_the_snippets_to_copy_with_a_preview()
    {
        var page = WebUtility.HtmlDecode((await Get("/indicators/ADM-03")).ReadAsText());
        page.ShouldContain("埋め込み");
        page.ShouldContain("<iframe src=\"http://localhost/embed/indicators/ADM-03\"");
        page.ShouldContain("<img src=\"http://localhost/embed/indicators/ADM-03.svg\"");
        page.ShouldContain("<iframe src=\"/embed/indicators/ADM-03\"", customMessage: "the live preview");
    }

    [Fact]
    public async Task one_client_flooding_the_public_routes_gets_429_and_the_others_are_still_served()
    {
        var flooder = IPAddress.Parse("203.0.113.90");
        var statuses = new List<int>();
        for (var i = 0; i < 320; i++)
            statuses.Add(Status(await Get("/embed/indicators/ADM-03.svg", s => s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = flooder))));
        statuses.Take(300).ShouldAllBe(s => s == 200);
        statuses.Skip(300).ShouldAllBe(s => s == 429);
        var refused = await Get("/embed/indicators/ADM-03.svg", s => s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = flooder));
        int.Parse(refused.Context.Response.Headers.RetryAfter.ToString()).ShouldBeInRange(1, 10);

        Status(await Get("/embed/indicators/ADM-03.svg", s => s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.91"))))
            .ShouldBe(200, "another client is served");
        Status(await Get("/api/indicators/INF-02", s =>
        {
            s.As(TestUsers.Editor);
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = flooder);
        })).ShouldBe(200, "signed-in staff are not counted");
    }
}
