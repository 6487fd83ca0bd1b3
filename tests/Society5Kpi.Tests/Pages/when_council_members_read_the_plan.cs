using System.Net.Http.Json;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Pages;

/// <summary>One `ops/run` with the seeded plan, a corrected figure and the staff's accounts, for the council pages' browser checks.</summary>
public sealed class CouncilDashboard : IAsyncLifetime
{
    public const string Password = "council-pages-42";
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"s5k-council-{Guid.NewGuid():N}");

    public RunningApp App { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = new RunningApp(_data);
        await App.StartAsync(TimeSpan.FromMinutes(5));
        await App.OpsRunAsync("user add sato --role editor --name 佐藤", Password);
        await App.OpsRunAsync("user add tanaka --role reviewer --name 田中", Password);
        await App.OpsRunAsync("user add iin --role council --name 委員", Password);

        // Fiber coverage: a figure entered, published, corrected and published again.
        using var editor = await SignedInAsync("sato");
        using var reviewer = await SignedInAsync("tanaka");
        var recorded = await (await editor.PostAsJsonAsync("/api/indicators/INF-02/measurements",
            new { period = "FY2023", asOf = "2024-03-31", value = 99.2, source = "総務省" })).Content.ReadFromJsonAsync<Dictionary<string, object>>();
        var id = recorded!["measurementId"].ToString();
        async Task Publish()
        {
            (await editor.PostAsJsonAsync($"/api/indicators/INF-02/measurements/{id}/submission", new { })).EnsureSuccessStatusCode();
            (await reviewer.PostAsJsonAsync($"/api/indicators/INF-02/measurements/{id}/approval", new { })).EnsureSuccessStatusCode();
        }
        await Publish();
        (await editor.PostAsJsonAsync($"/api/indicators/INF-02/measurements/{id}/corrections", new { value = 99.3, reason = "総務省の確定値" })).EnsureSuccessStatusCode();
        await Publish();

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Support.Browser.LaunchAsync(Playwright);
    }

    private async Task<HttpClient> SignedInAsync(string user)
    {
        var http = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = App.BaseAddress };
        (await http.PostAsJsonAsync("/api/session", new { userName = user, password = Password })).EnsureSuccessStatusCode();
        return http;
    }

    /// <summary>A new page of the given width (1280×720 or a phone's 390×844), recording every request it makes.</summary>
    public async Task<(IPage Page, List<string> Requests)> OpenAsync(int width, string? user = null)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = width > 500 ? new() { Width = width, Height = 720 } : new() { Width = width, Height = 844 } });
        var page = await context.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, request) => { lock (requests) requests.Add(request.Url); };
        if (user is not null)
        {
            await page.GotoAsync(new Uri(App.BaseAddress, "/account/login").ToString());
            await page.FillAsync("input[autocomplete=username]", user);
            await page.FillAsync("input[type=password]", Password);
            await page.ClickAsync("form.login button[type=submit]");
            await page.WaitForSelectorAsync($"header .who:has-text('{user}')");
        }
        return (page, requests);
    }

    public string Url(string path) => new Uri(App.BaseAddress, path).ToString();

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await App.DisposeAsync();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}

/// <summary>
/// The pages council members open before and during a meeting, in a real browser against `ops/run`: the overview, an
/// indicator's own page with its chart and table, the municipalities' map, the printable report; each checked with axe at
/// desktop and phone width, and none may fetch anything from another site.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class when_council_members_read_the_plan(CouncilDashboard dashboard) : IClassFixture<CouncilDashboard>
{
    private static readonly int[] Widths = [1280, 390];

    private static string Name(int width) => width > 500 ? "desktop" : "phone";

    private void NothingLeftTheSite(IEnumerable<string> requests) =>
        requests.Where(u => !u.StartsWith(dashboard.App.BaseAddress.ToString()) && !u.StartsWith("data:") && !u.StartsWith("blob:"))
            .ShouldBeEmpty("no request may leave the site");

    private static async Task NoSeriousAccessibilityProblem(IPage page, string what)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        serious.ShouldBeEmpty($"{what}: " + string.Join("; ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}")));
    }

    [Fact]
    public async Task the_overview_links_each_indicator_to_its_page_and_fits_a_phone()
    {
        foreach (var width in Widths)
        {
            var (page, requests) = await dashboard.OpenAsync(width);
            await page.GotoAsync(dashboard.Url("/"));
            var rows = page.Locator("tr[data-code]");
            (await rows.CountAsync()).ShouldBe(36);
            foreach (var code in await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.code)"))
                (await page.Locator($"tr[data-code='{code}'] th.name a").GetAttributeAsync("href")).ShouldBe($"/indicators/{code}");
            (await page.Locator("tr[data-code='ADM-03'] svg.sparkline polyline").CountAsync()).ShouldBe(1, "a sparkline of the card series");
            // Nothing wider than the screen: a card per indicator on a phone.
            (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(width);
            await Browser.ScreenshotAsync(page, $"overview-{Name(width)}");
            await NoSeriousAccessibilityProblem(page, $"/ at {width}");
            NothingLeftTheSite(requests);

            await page.ClickAsync("tr[data-code='DAT-01'] th.name a");
            await page.WaitForURLAsync("**/indicators/DAT-01");
            (await page.Locator("h1").InnerTextAsync()).ShouldContain("オープンデータ");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task the_filter_by_area_and_status_keeps_the_counts_beside_it()
    {
        var (page, _) = await dashboard.OpenAsync(1280);
        await page.GotoAsync(dashboard.Url("/?area=Administration&status=AccelerationNeeded"));
        (await page.Locator("tr[data-code]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.code)")).ShouldBe(["ADM-03"]);
        (await page.Locator("[data-summary='plan']").InnerTextAsync()).ShouldContain("30");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task the_indicator_page_draws_the_figures_and_the_target_path_and_lists_the_same_points()
    {
        foreach (var width in Widths)
        {
            var (page, requests) = await dashboard.OpenAsync(width);
            await page.GotoAsync(dashboard.Url("/indicators/ADM-03"));
            await page.WaitForSelectorAsync("#indicator-chart .main-svg", new() { Timeout = 30_000 });
            var traces = await page.Locator("#indicator-chart .scatterlayer .trace").CountAsync();
            traces.ShouldBeGreaterThanOrEqualTo(2, "the figures and the path to the target at least");
            var plotted = await page.EvaluateAsync<int>("document.getElementById('indicator-chart').data[0].x.length");
            var listed = await page.Locator("table.figures tbody tr").CountAsync();
            plotted.ShouldBe(46);
            listed.ShouldBe(plotted, "the table holds the same points as the chart");
            (await page.Locator("table.figures").InnerTextAsync()).ShouldContain("55.7");
            (await page.EvaluateAsync<string[]>("document.getElementById('indicator-chart').data.map(t => t.name)")).ShouldContain("目標までの経路");
            (await page.Locator("ol.ranking li").CountAsync()).ShouldBe(180, "the 179 and Hokkaido among them");
            (await page.Locator(".indicator-definition").InnerTextAsync()).ShouldContain("判定の根拠");
            (await page.Locator("figure.chart").GetAttributeAsync("aria-label")).ShouldNotBeNull().ShouldContain("55.7");
            await Browser.ScreenshotAsync(page, $"indicator-ADM-03-{Name(width)}");
            await NoSeriousAccessibilityProblem(page, $"/indicators/ADM-03 at {width}");
            NothingLeftTheSite(requests);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task a_corrected_figure_is_marked_on_the_chart_and_in_the_table()
    {
        var (page, _) = await dashboard.OpenAsync(1280);
        await page.GotoAsync(dashboard.Url("/indicators/INF-02"));
        await page.WaitForSelectorAsync("#indicator-chart .main-svg", new() { Timeout = 30_000 });
        (await page.EvaluateAsync<string[]>("document.getElementById('indicator-chart').data.map(t => t.name)")).ShouldContain("訂正済");
        (await page.Locator("table.figures .corrected").GetAttributeAsync("title")).ShouldBe("総務省の確定値");
        await Browser.ScreenshotAsync(page, "indicator-INF-02-desktop");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task the_municipalities_page_names_all_179_and_draws_each_on_the_map()
    {
        foreach (var width in Widths)
        {
            var (page, requests) = await dashboard.OpenAsync(width);
            await page.GotoAsync(dashboard.Url("/municipalities?indicator=ADM-03"));
            (await page.Locator("figure.municipality-map path.municipality").CountAsync()).ShouldBe(179);
            (await page.Locator("table.municipalities tr[data-code]").CountAsync()).ShouldBe(179);
            (await page.Locator("path[data-code='011002'] title").TextContentAsync()).ShouldBe("札幌市: 56.8 %（2022-12-31）");
            (await page.Locator("figure.municipality-map figcaption").InnerTextAsync()).ShouldContain("国土数値情報");
            await Browser.ScreenshotAsync(page, $"municipalities-{Name(width)}");
            await NoSeriousAccessibilityProblem(page, $"/municipalities at {width}");
            NothingLeftTheSite(requests);

            // An earlier date from the slider's dates: 2021-01-01 is step 22 of 46.
            await page.GotoAsync(dashboard.Url("/municipalities?indicator=ADM-03&step=22"));
            (await page.Locator("path[data-code='011002'] title").TextContentAsync()).ShouldNotBeNull().ShouldContain("2021-01-01");
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task the_report_prints_to_pdf_with_the_figures_known_on_its_day()
    {
        var (page, requests) = await dashboard.OpenAsync(1280);
        await page.GotoAsync(dashboard.Url("/report?asOf=2024-01-17"));
        var report = await page.Locator("article.report").InnerTextAsync();
        report.ShouldContain("2024-01-17");
        report.ShouldContain("前回の会議");
        (await page.Locator("tr[data-code='REF-01'] td.latest").InnerTextAsync()).ShouldContain("12");
        (await page.Locator("tr[data-code='DAT-01'] td.latest").InnerTextAsync()).ShouldBe("—", "the 174 was not known then");
        (await page.Locator("tr[data-code='ADM-03'] td.latest").InnerTextAsync()).ShouldContain("55.7");
        (await page.Locator(".report-area .area-text").First.InnerTextAsync()).ShouldContain("評価指標");
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var pdf = await page.PdfAsync(new() { Format = "A4", PrintBackground = true, Path = Path.Combine(Browser.ScreenshotDirectory, "report-2024-01-17.pdf") });
        pdf.Length.ShouldBeGreaterThan(10_000);
        System.Text.Encoding.ASCII.GetString(pdf, 0, 5).ShouldBe("%PDF-");
        await page.EmulateMediaAsync(new() { Media = Media.Screen });
        await Browser.ScreenshotAsync(page, "report-desktop");
        await NoSeriousAccessibilityProblem(page, "/report");
        NothingLeftTheSite(requests);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task a_widget_in_another_sites_page_gets_the_height_it_needs_and_fetches_nothing_from_elsewhere()
    {
        var (page, requests) = await dashboard.OpenAsync(1280);
        var site = dashboard.App.BaseAddress.ToString().TrimEnd('/');
        // Another site's page (answered by the browser itself, nothing goes out): an iframe and the host script.
        const string host = "http://news.example";
        await page.RouteAsync(host + "/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html; charset=utf-8",
            Body = $"<html><body><h1>Another site</h1><iframe id=w src=\"{site}/embed/indicators/ADM-03\" width=360 height=50 style=border:0></iframe>" +
                   $"<script src=\"{site}/embed/resize.js\" async></script></body></html>"
        }));
        await page.GotoAsync(host + "/article");
        await page.WaitForFunctionAsync("document.getElementById('w').style.height !== ''", null, new() { Timeout = 15_000 });
        var height = await page.EvaluateAsync<int>("parseInt(document.getElementById('w').style.height)");
        height.ShouldBeGreaterThan(150, "the widget said how tall it is");
        (await page.Locator("#w").ScreenshotAsync(new() { Path = Path.Combine(Browser.ScreenshotDirectory, "widget-in-a-host-page.png") })).Length.ShouldBeGreaterThan(0);
        requests.Where(u => !u.StartsWith(site) && !u.StartsWith(host) && !u.StartsWith("data:")).ShouldBeEmpty();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task the_api_documentation_page_is_served_by_the_app_itself()
    {
        var (page, requests) = await dashboard.OpenAsync(1280);
        await page.GotoAsync(dashboard.Url("/api/docs/"));
        await page.WaitForSelectorAsync("text=Introduction", new() { Timeout = 30_000 });
        (await page.InnerTextAsync("body")).ShouldContain("Society5Kpi");
        await Browser.ScreenshotAsync(page, "api-docs-desktop");
        NothingLeftTheSite(requests);
        await page.Context.CloseAsync();
    }

    public static TheoryData<string, string?> EveryPage => new()
    {
        { "/roadmap", null }, { "/account/login", null }, { "/report", null }, { "/indicators/LIV-01", null },
        { "/quarter", "tanaka" }, { "/import", "sato" }, { "/indicators/INF-02/entry", "sato" }, { "/indicators/INF-02/history", "iin" }
    };

    [Theory]
    [MemberData(nameof(EveryPage))]
    public async Task every_other_page_has_no_serious_accessibility_problem_at_either_width(string path, string? user)
    {
        foreach (var width in Widths)
        {
            var (page, requests) = await dashboard.OpenAsync(width, user);
            await page.GotoAsync(dashboard.Url(path));
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Browser.ScreenshotAsync(page, $"{path.Trim('/').Replace('/', '-')}-{Name(width)}");
            await NoSeriousAccessibilityProblem(page, $"{path} at {width}");
            NothingLeftTheSite(requests);
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task the_keyboard_reaches_the_as_of_selector_the_filters_and_every_indicator()
    {
        var (page, _) = await dashboard.OpenAsync(1280);
        await page.GotoAsync(dashboard.Url("/"));
        var reached = new HashSet<string>();
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            reached.Add(await page.EvaluateAsync<string>(
                "(() => { const e = document.activeElement; return e.tagName + ' ' + (e.getAttribute('href') ?? e.getAttribute('name') ?? e.getAttribute('aria-label') ?? e.textContent.trim()); })()"));
        }
        reached.ShouldContain(r => r.StartsWith("SELECT 会議の時点"));
        reached.ShouldContain("SELECT area");
        reached.ShouldContain("SELECT status");
        reached.ShouldContain("A /indicators/LIV-01");
        await page.Context.CloseAsync();
    }
}
