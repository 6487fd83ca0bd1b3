using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Pages;

/// <summary>
/// The quarterly round in a real browser against `ops/run`: an editor signs in and enters a figure, a second
/// person approves it, and the public page shows it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class when_the_secretariat_publishes_a_figure : IAsyncLifetime
{
    private const string Password = "hokkaido-society5";
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"s5k-flow-{Guid.NewGuid():N}");
    private RunningApp _app = null!;

    public async Task InitializeAsync()
    {
        _app = new RunningApp(_data);
        await _app.StartAsync(TimeSpan.FromMinutes(5));
        (await _app.OpsRunAsync("user add sato --role editor --name 佐藤", Password)).ShouldContain("Account sato");
        (await _app.OpsRunAsync("user add tanaka --role reviewer --name 田中", Password)).ShouldContain("Account tanaka");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }

    private async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync(new Uri(_app.BaseAddress, "/account/login").ToString());
        await page.FillAsync("input[autocomplete=username]", user);
        await page.FillAsync("input[type=password]", Password);
        await page.ClickAsync("form.login button[type=submit]");
        await page.WaitForSelectorAsync($"header .who:has-text('{user}')");
    }

    [Fact]
    public async Task an_entered_figure_is_public_only_after_a_second_person_approves_it()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);

        // 1. The editor enters fiber coverage for FY2023 and submits it.
        var editor = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
        await SignInAsync(editor, "sato");
        await editor.GotoAsync(new Uri(_app.BaseAddress, "/indicators/INF-02/entry").ToString());
        await Browser.WaitUntilInteractiveAsync(editor);
        // Typed as people write it: the era year, the form says how it read it.
        await editor.FillAsync("form.figure-form input.figure-period", "令和5年度");
        await editor.Locator("form.figure-form input.figure-period").BlurAsync();
        await editor.WaitForSelectorAsync(".understood:has-text('FY2023')");
        await editor.FillAsync("form.figure-form input[type=date]", "2024-03-31");
        // A mistake is refused beside its field, and nothing is saved.
        await editor.FillAsync("form.figure-form input.figure-value", "-5");
        await editor.ClickAsync("form.figure-form button[name=record]");
        await editor.WaitForSelectorAsync(".validation-message:has-text('must not be negative')");
        (await editor.Locator("button.submit-review").CountAsync()).ShouldBe(0);
        await editor.FillAsync("form.figure-form input.figure-value", "99.4");
        await editor.FillAsync("form.figure-form label:has-text('出典') input", "総務省 ブロードバンド基盤の整備状況");
        await editor.ClickAsync("form.figure-form button[name=record]");
        await editor.WaitForSelectorAsync("button.submit-review");
        await Browser.ScreenshotAsync(editor, "entry-form");
        await editor.ClickAsync("button.submit-review");
        await editor.WaitForSelectorAsync(".notice:has-text('審査に回しました')");

        // Not public yet.
        var visitor = await (await browser.NewContextAsync()).NewPageAsync();
        await visitor.GotoAsync(_app.BaseAddress.ToString());
        (await visitor.Locator("tr[data-code='INF-02'] td.latest").InnerTextAsync()).ShouldNotContain("99.4");

        // 2. The reviewer approves it on the quarter page.
        var reviewer = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
        await SignInAsync(reviewer, "tanaka");
        await reviewer.GotoAsync(new Uri(_app.BaseAddress, "/quarter").ToString());
        await Browser.WaitUntilInteractiveAsync(reviewer);
        var waiting = reviewer.Locator("table.review tr:has-text('INF-02')");
        await waiting.WaitForAsync();
        await Browser.ScreenshotAsync(reviewer, "this-quarter");
        await waiting.Locator("button.approve").ClickAsync();
        await reviewer.WaitForSelectorAsync(".notice:has-text('公表しました')");

        // 3. The public sees it.
        await visitor.ReloadAsync();
        await visitor.WaitForSelectorAsync("tr[data-code='INF-02'] td.latest:has-text('99.4')");
        (await visitor.Locator("tr[data-code='INF-02'] td.latest").InnerTextAsync()).ShouldContain("99.4");

        // 4. The history keeps every step with who did it; the CSV page offers this quarter's template.
        // The history is an asynchronous projection: a moment behind the approval, so look again until it is there.
        await Eventually.Get(async () =>
        {
            await editor.GotoAsync(new Uri(_app.BaseAddress, "/indicators/INF-02/history").ToString());
            await editor.WaitForSelectorAsync("table.history");
            return await editor.Locator("table.history td:has-text('承認・公表')").CountAsync();
        }, count => count == 1, "the history page to show the approval");
        (await editor.Locator("table.history").InnerTextAsync()).ShouldContain("tanaka");
        await Browser.ScreenshotAsync(editor, "history");
        await editor.GotoAsync(new Uri(_app.BaseAddress, "/import").ToString());
        await Browser.WaitUntilInteractiveAsync(editor);
        await Browser.ScreenshotAsync(editor, "import");

        // 5. Written from the pages, each event carries its person in Marten's user-name column, as HTTP writes do.
        await using var database = new Npgsql.NpgsqlConnection(_app.ConnectionString);
        await database.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand(
            "select type, user_name from society5kpi.mt_events where stream_id = 'INF-02' and type like 'measurement_%' order by seq_id", database);
        var written = new List<(string Type, string? User)>();
        await using (var reader = await query.ExecuteReaderAsync())
            while (await reader.ReadAsync()) written.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        written.ShouldBe([("measurement_recorded", "sato"), ("measurement_submitted_for_review", "sato"), ("measurement_approved", "tanaka")]);
    }

    [Fact]
    public async Task a_file_imported_on_the_page_is_recorded_row_by_row_while_the_page_follows_it()
    {
        // Three months of ADM-03 for every municipality: 537 rows, recorded in batches of 100 in the background.
        var municipalities = File.ReadLines(Path.Combine(AppFixture.RepositoryRoot, "seeds", "municipalities.csv")).Skip(1)
            .Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToList();
        var csv = new StringBuilder("indicator_code,period,as_of,value,municipality,source\n");
        foreach (var month in new[] { new DateOnly(2016, 1, 1), new DateOnly(2016, 2, 1), new DateOnly(2016, 3, 1) })
            foreach (var municipality in municipalities)
                csv.Append($"ADM-03,{month:yyyy-MM},{month.AddMonths(1).AddDays(-1):yyyy-MM-dd},12.5,{municipality},page import\n");
        var rows = municipalities.Count * 3;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var editor = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
        await SignInAsync(editor, "sato");
        await editor.GotoAsync(new Uri(_app.BaseAddress, "/import").ToString());
        await Browser.WaitUntilInteractiveAsync(editor);
        await editor.SetInputFilesAsync("input[type=file]",
            new FilePayload { Name = "adm-03-2016.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await editor.ClickAsync($"button.confirm:has-text('{rows} 行を登録する')");
        // The page reads the import's progress every second until the last batch is in.
        await editor.WaitForSelectorAsync($"text=完了：{rows} 行を登録しました。", new() { Timeout = 120_000 });
        await Browser.ScreenshotAsync(editor, "import-done");

        await using var database = new Npgsql.NpgsqlConnection(_app.ConnectionString);
        await database.OpenAsync();
        await using var query = new Npgsql.NpgsqlCommand(
            "select count(*) from society5kpi.mt_events where stream_id = 'ADM-03' and type = 'measurement_recorded' and data::text like '%page import%'", database);
        Convert.ToInt32(await query.ExecuteScalarAsync()).ShouldBe(rows);
    }

    [Fact]
    public async Task a_password_typed_at_user_add_is_not_shown_on_the_terminal()
    {
        const string typed = "typed-on-the-terminal-42";
        var screen = await _app.OpsRunOnATerminalAsync("user add kato --role council --name 加藤", "Password for kato:", typed);

        screen.ShouldContain("Account kato");
        screen.ShouldNotContain(typed);
        using var http = new HttpClient { BaseAddress = _app.BaseAddress };
        (await http.PostAsJsonAsync("/api/session", new { userName = "kato", password = typed })).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }
}
