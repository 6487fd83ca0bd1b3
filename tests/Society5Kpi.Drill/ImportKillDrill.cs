using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Society5Kpi.Accounts;
using Society5Kpi.Drill.Support;
using Society5Kpi.Infrastructure;

namespace Society5Kpi.Drill;

/// <summary>
/// A large measurements CSV is previewed and confirmed (the secretariat's import), and the app is killed with SIGKILL
/// while the rows are being recorded. The product promises that the durable queue carries the import on after a
/// restart (ImportConfirmedHandler); the drill restarts the app, tries to confirm again, and compares the figures in
/// the store with a clean import of the same file on a fresh database: every row exactly once, nothing else.
/// </summary>
public sealed class ImportKillDrill : IFaultDrill
{
    public string Name => "import-kill";
    public int Order => 2;

    private const string Source = "drill: import-kill";
    private const string Editor = "drill-editor";
    // Counts and amounts (any whole number is valid) without a municipal breakdown: a month per row.
    private static readonly string[] Indicators = ["IND-06", "INF-05", "LIV-06", "IND-04", "IND-05", "IND-07", "IND-08", "IND-09"];
    private const int MonthsPerIndicator = 150;
    private static readonly int Rows = Indicators.Length * MonthsPerIndicator;
    private const double KillAtShare = 0.4;
    private static readonly TimeSpan ImportLimit = TimeSpan.FromMinutes(3);

    public async Task<DrillOutcome> RunAsync(TextWriter log)
    {
        var report = new Markdown("The app killed in the middle of a large CSV import (`import-kill`)");
        var csv = MeasurementsCsv();
        try
        {
            var clean = await CleanImportAsync(csv, log);
            var (killed, story) = await KilledImportAsync(csv, log, report);
            Judge(report, clean, killed, story);
        }
        catch (Exception e)
        {
            log.WriteLine(e);
            return report.Outcome(e);
        }
        return report.Outcome();
    }

    private sealed record ImportResult(IReadOnlyList<StoredFigure> Figures, JsonElement Preview, TimeSpan Took);

    private sealed record KilledStory(long StoredAtKill, TimeSpan KilledAfter, int ConfirmAgainStatus, TimeSpan RestartTook,
        TimeSpan FirstRowAfterRestart, TimeSpan DoneAfterRestart);

    /// <summary>The baseline: the same file imported once, undisturbed, on a fresh database.</summary>
    private static async Task<ImportResult> CleanImportAsync(byte[] csv, TextWriter log)
    {
        await using var postgres = await LocalPostgres.StartTemporaryAsync();
        await Staff.CreateAccountAsync(postgres.ConnectionString, Editor, Roles.Editor, TimeSpan.FromSeconds(90));
        await using var app = await AppProcess.ServeAsync(postgres.ConnectionString, "drill-clean", TimeSpan.FromSeconds(120));
        using var editor = await Staff.SignInAsync(app.BaseAddress, Editor, TimeSpan.FromSeconds(60));
        var id = await PreviewAsync(editor, csv);
        var watch = Stopwatch.StartNew();
        await ConfirmAsync(editor, id, HttpStatusCode.Accepted);
        var preview = await WaitUntilDoneAsync(editor, id, ImportLimit);
        log.WriteLine($"clean import of {Rows} rows: {watch.Elapsed.TotalSeconds:F1} s");
        return new ImportResult(await EventStore.FiguresAsync(postgres.ConnectionString, Source), preview, watch.Elapsed);
    }

    private static async Task<(ImportResult, KilledStory)> KilledImportAsync(byte[] csv, TextWriter log, Markdown report)
    {
        await using var postgres = await LocalPostgres.StartTemporaryAsync();
        await Staff.CreateAccountAsync(postgres.ConnectionString, Editor, Roles.Editor, TimeSpan.FromSeconds(90));
        var first = await AppProcess.ServeAsync(postgres.ConnectionString, "drill-first", TimeSpan.FromSeconds(120));
        AppProcess? second = null;
        try
        {
            Guid id;
            using (var editor = await Staff.SignInAsync(first.BaseAddress, Editor, TimeSpan.FromSeconds(60)))
            {
                id = await PreviewAsync(editor, csv);
                await ConfirmAsync(editor, id, HttpStatusCode.Accepted);
            }
            var watch = Stopwatch.StartNew();
            // Killed once a share of the rows is in the store: after the acknowledgement, while events are being written.
            long stored;
            while ((stored = await EventStore.CountFiguresAsync(postgres.ConnectionString, Source)) < Rows * KillAtShare)
            {
                if (watch.Elapsed > ImportLimit) throw new TimeoutException($"only {stored} of {Rows} rows recorded in {ImportLimit}");
                await Task.Delay(50);
            }
            first.KillHard();
            var killedAfter = watch.Elapsed;
            var storedAtKill = await EventStore.CountFiguresAsync(postgres.ConnectionString, Source);
            log.WriteLine($"killed (SIGKILL) {killedAfter.TotalSeconds:F1} s after the confirmation, {storedAtKill} of {Rows} rows stored");

            var restart = Stopwatch.StartNew();
            second = await AppProcess.ServeAsync(postgres.ConnectionString, "drill-second", TimeSpan.FromSeconds(120));
            var restartTook = restart.Elapsed;
            using var again = await Staff.SignInAsync(second.BaseAddress, Editor, TimeSpan.FromSeconds(60));
            // What a person does who saw the import stop: confirm the same preview again.
            var confirmAgain = await ConfirmAsync(again, id, expected: null);
            log.WriteLine($"restarted in {restartTook.TotalSeconds:F1} s; confirming again answered {(int)confirmAgain}");
            var preview = await WaitUntilDoneAsync(again, id, ImportLimit);
            var doneAfter = restart.Elapsed - restartTook;
            var figures = await EventStore.FiguresAsync(postgres.ConnectionString, Source);
            // When the durable queue handed the import to the new process: the first row recorded after the kill.
            var firstAfter = await EventStore.SecondsBetweenAsync(postgres.ConnectionString, figures[(int)storedAtKill - 1].Sequence,
                figures.Count > storedAtKill ? figures[(int)storedAtKill].Sequence : figures[^1].Sequence);
            log.WriteLine($"import done {doneAfter.TotalSeconds:F1} s after the restart");
            return (new ImportResult(figures, preview, watch.Elapsed),
                new KilledStory(storedAtKill, killedAfter, (int)confirmAgain, restartTook,
                    TimeSpan.FromSeconds(firstAfter) - restartTook, doneAfter));
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null) await second.DisposeAsync();
        }
    }

    private static void Judge(Markdown report, ImportResult clean, ImportResult killed, KilledStory story)
    {
        static string Key(StoredFigure f) => $"{f.Indicator} {f.Period} as of {f.AsOf}: {f.Value} ({f.Note})";
        var cleanKeys = clean.Figures.Select(Key).ToHashSet();
        var killedByKey = killed.Figures.GroupBy(Key).ToDictionary(g => g.Key, g => g.Count());
        var duplicated = killedByKey.Where(k => k.Value > 1).Select(k => k.Key).ToArray();
        var missing = cleanKeys.Where(k => !killedByKey.ContainsKey(k)).ToArray();
        var extra = killedByKey.Keys.Where(k => !cleanKeys.Contains(k)).ToArray();

        report.Line($"A CSV of {Rows:N0} rows ({Indicators.Length} indicators × {MonthsPerIndicator} months, {Sizes(MeasurementsCsv().Length)}) " +
                    "is uploaded to `POST /api/imports/measurements` (the preview) and confirmed (`.../{id}/confirm`, 202). The rows are " +
                    "recorded in the background by `ImportConfirmedHandler` on Wolverine's durable local queue. Once " +
                    $"{KillAtShare:P0} of the rows are in `mt_events`, the app gets SIGKILL; it is started again on the same database, " +
                    "the same preview is confirmed again, and the drill waits until the preview says `Done`. The figures are then " +
                    "compared with a clean import of the same file on a fresh database.");
        report.Table(["", "clean import", "killed import"],
        [
            ["rows recorded (events in `mt_events`)", $"{clean.Figures.Count}", $"{killed.Figures.Count} ({story.StoredAtKill} when killed)"],
            ["time", $"{clean.Took.TotalSeconds:F1} s", $"killed after {story.KilledAfter.TotalSeconds:F1} s; the new process healthy " +
                $"{story.RestartTook.TotalSeconds:F1} s after the kill; its first row {story.FirstRowAfterRestart.TotalSeconds:F1} s after that; " +
                $"done {story.DoneAfterRestart.TotalSeconds:F1} s after it was healthy"],
            ["preview at the end", Summary(clean.Preview), Summary(killed.Preview)],
            ["confirming again after the restart", "", $"HTTP {story.ConfirmAgainStatus}"]
        ]);

        report.Check("killed in the middle: after the confirmation was acknowledged, with rows still to record",
            story.StoredAtKill > 0 && story.StoredAtKill < Rows, $"{story.StoredAtKill} of {Rows} rows stored at the kill");
        report.Check("the clean import records every row", clean.Figures.Count == Rows && State(clean.Preview) == "Done",
            $"{clean.Figures.Count} of {Rows}, {Summary(clean.Preview)}");
        report.Check("after the restart the import carries on by itself and finishes", State(killed.Preview) == "Done",
            $"{Summary(killed.Preview)} {story.DoneAfterRestart.TotalSeconds:F1} s after the restart");
        report.Check("confirming the same preview again is refused (400: already confirmed)", story.ConfirmAgainStatus == 400,
            $"HTTP {story.ConfirmAgainStatus}");
        report.Check("no row's figure is recorded twice", duplicated.Length == 0,
            duplicated.Length == 0 ? "none" : $"{duplicated.Length}, e.g. {duplicated[0]}");
        report.Check("no row's figure is missing, none is extra (same as the clean import)", missing.Length == 0 && extra.Length == 0,
            $"{missing.Length} missing, {extra.Length} extra");
        report.Check("the preview reports every row recorded and no error",
            Count(killed.Preview, "recorded") == Rows && Count(killed.Preview, "errors") == 0, Summary(killed.Preview));
    }

    /// <summary>indicator_code, period, as_of, value, source, note: a figure per indicator and month, as the import template lays them out.</summary>
    private static byte[] MeasurementsCsv()
    {
        var csv = new StringBuilder("indicator_code,period,as_of,value,source,note\n");
        var line = 0;
        foreach (var code in Indicators)
            for (var n = 0; n < MonthsPerIndicator; n++)
            {
                var (period, asOf) = Staff.Month(n);
                csv.Append($"{code},{period},{asOf:yyyy-MM-dd},{1000 + n},{Source},row {++line}\n");
            }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static async Task<Guid> PreviewAsync(Staff editor, byte[] csv)
    {
        using var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        using var response = await editor.Http.PostAsync("/api/imports/measurements?fileName=drill-import.csv", content);
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (response.StatusCode != HttpStatusCode.Created || preview.GetProperty("rows").GetArrayLength() != Rows)
            throw new InvalidOperationException($"the preview answered {(int)response.StatusCode}: {preview.ToString()[..Math.Min(600, preview.ToString().Length)]}");
        return preview.GetProperty("id").GetGuid();
    }

    private static async Task<HttpStatusCode> ConfirmAsync(Staff editor, Guid id, HttpStatusCode? expected)
    {
        using var response = await editor.Http.PostAsync($"/api/imports/measurements/{id}/confirm", JsonContent.Create(new { }));
        if (expected is not null && response.StatusCode != expected)
            throw new InvalidOperationException($"confirming answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode;
    }

    private static async Task<JsonElement> WaitUntilDoneAsync(Staff editor, Guid id, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        JsonElement preview = default;
        while (watch.Elapsed < limit)
        {
            using var response = await editor.Http.GetAsync($"/api/imports/measurements/{id}");
            if (response.IsSuccessStatusCode)
            {
                preview = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (State(preview) is "Done" or "Failed") return preview;
            }
            await Task.Delay(250);
        }
        return preview;
    }

    private static string State(JsonElement preview) =>
        preview.ValueKind == JsonValueKind.Object && preview.TryGetProperty("state", out var state) ? state.ToString() : "unknown";

    private static int Count(JsonElement preview, string property) =>
        preview.ValueKind != JsonValueKind.Object || !preview.TryGetProperty(property, out var value) ? -1
        : value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : value.GetInt32();

    private static string Summary(JsonElement preview) =>
        $"{State(preview)}, {Count(preview, "processed")} processed, {Count(preview, "recorded")} recorded, {Count(preview, "errors")} errors";

    private static string Sizes(int bytes) => $"{bytes / 1024.0:F0} KB";
}
