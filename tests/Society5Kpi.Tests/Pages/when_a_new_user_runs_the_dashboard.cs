using Microsoft.Playwright;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Pages;

/// <summary>
/// The README's promise, end to end: `ops/run` on a machine with no database configured starts its own
/// PostgreSQL, imports the seeds once, serves the dashboard; Ctrl-C stops both; a second run reuses the data.
/// </summary>
[Collection(AppCollection.Name)] // not in parallel with the in-memory specifications: it builds and publishes
public sealed class when_a_new_user_runs_the_dashboard : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"s5k-run-{Guid.NewGuid():N}");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ops_run_serves_the_seeded_indicators_and_a_second_run_imports_nothing_twice()
    {
        await using (var first = new RunningApp(_data))
        {
            // From the moment the port answers, a visitor gets either "preparing" (503) or the whole plan, never an empty one.
            var seen = new List<string>();
            await first.StartAsync(TimeSpan.FromMinutes(5), async http =>
            {
                var api = await http.GetAsync("/api/indicators");
                var body = await api.Content.ReadAsStringAsync();
                seen.Add($"{(int)api.StatusCode} {body.Length}");
                if (api.IsSuccessStatusCode)
                    System.Text.Json.JsonDocument.Parse(body).RootElement.GetArrayLength().ShouldBe(36, "an answered plan is the whole plan");
                else api.StatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
                var page = await http.GetAsync("/");
                var html = System.Net.WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
                if (page.IsSuccessStatusCode) html.ShouldContain("DAT-01");
                else html.ShouldContain("準備中");
            });
            seen.ShouldNotBeEmpty();
            var imported = System.Text.RegularExpressions.Regex.Match(first.Output, @"\((\d+) in all\)");
            imported.Success.ShouldBeTrue(first.Output);
            int.Parse(imported.Groups[1].Value).ShouldBeGreaterThan(250);

            using var http = new HttpClient { BaseAddress = first.BaseAddress };
            // Blazor's static renderer writes non-ASCII text as character references (dotnet/aspnetcore#52683).
            var page = System.Net.WebUtility.HtmlDecode(await http.GetStringAsync("/"));
            page.ShouldContain("評価指標の進捗");
            page.ShouldContain("オープンデータ取組済の市町村数");
            page.ShouldContain("DAT-01");
            page.ShouldContain("INF-02");

            (await first.StopAsync()).ShouldBe(0);
            PostgresIsRunning(_data).ShouldBeFalse("Ctrl-C must stop the PostgreSQL that ops/run started");
        }

        await using var second = new RunningApp(_data);
        await second.StartAsync(TimeSpan.FromMinutes(3));
        second.Output.ShouldContain("(0 in all)");
        await LooksRightInABrowser(second);
        (await second.StopAsync()).ShouldBe(0);
        PostgresIsRunning(_data).ShouldBeFalse();
    }

    private static async Task LooksRightInABrowser(RunningApp app)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await page.GotoAsync(app.BaseAddress.ToString());

        var openData = page.Locator("tr[data-code='DAT-01']");
        (await openData.Locator("td.latest").InnerTextAsync()).ShouldContain("174");
        (await openData.Locator("td.progress").InnerTextAsync()).ShouldContain("96.1%");
        (await openData.Locator("td.status .badge").InnerTextAsync()).ShouldBe("順調");
        (await page.Locator("[data-summary='plan']").InnerTextAsync()).ShouldContain("計画全体");
        await Browser.ScreenshotAsync(page, "dashboard-ja");

        // As the members saw it at the 2024-01-17 meeting: the 174 was not known yet.
        await page.SelectOptionAsync("form.as-of select", "2024-01-17");
        await page.WaitForSelectorAsync(".as-of-note");
        var latestThen = await openData.Locator("td.latest").InnerTextAsync();
        latestThen.Trim().ShouldStartWith("—");
        // The count from the municipalities' own records (none entered yet), shown beside the documents' figures.
        latestThen.ShouldContain("市町村の記録から: 0 / 179");
        (await openData.Locator("td.status .badge").InnerTextAsync()).ShouldBe("データ不足");
        (await page.Locator(".as-of-note").InnerTextAsync()).ShouldContain("過去の時点の表示");
        await Browser.ScreenshotAsync(page, "dashboard-ja-2024-01-17");
        // The roadmap: the data inventory was planned for FY2022 and carried out in FY2023 (document 003): completed.
        await page.GotoAsync(new Uri(app.BaseAddress, "/roadmap").ToString());
        var inventory = page.Locator("tr[data-code='RM-02']");
        (await inventory.Locator(".badge").First.InnerTextAsync()).ShouldBe("完了");
        (await inventory.InnerTextAsync()).ShouldContain("2023-12-25");
        await Browser.ScreenshotAsync(page, "roadmap-ja");

        await page.GotoAsync(app.BaseAddress.ToString());
        await page.ClickAsync("text=English");
        await page.WaitForSelectorAsync("text=Progress of the evaluation indicators");
        (await openData.Locator("th.name").InnerTextAsync()).ShouldContain("open data", Case.Insensitive);
        await Browser.ScreenshotAsync(page, "dashboard-en");
    }

    private static bool PostgresIsRunning(string dataDirectory) =>
        File.Exists(Path.Combine(dataDirectory, "pg", "postmaster.pid"));
}
