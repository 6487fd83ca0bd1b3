using System.Net;
using System.Net.Http.Json;

namespace Society5Kpi.Drill.Support;

/// <summary>
/// A member of the secretariat as the drills need one: a real local account made with the `user add` verb, signed in
/// through POST /api/session, its session cookie carried on every request.
/// </summary>
public sealed class Staff : IDisposable
{
    public const string Password = "drill password, long enough";

    private Staff(HttpClient http) => Http = http;

    public HttpClient Http { get; }

    /// <summary>`user add NAME --role ROLE` on the database the app uses, as an administrator would run it.</summary>
    public static async Task CreateAccountAsync(string connectionString, string userName, string role, TimeSpan timeout)
    {
        await using var verb = AppProcess.StartVerb(connectionString, "drill-user-add", ["user", "add", userName, "--role", role],
            new Dictionary<string, string> { ["SOCIETY5KPI_PASSWORD"] = Password });
        var exitCode = await verb.WaitForExitAsync(timeout);
        if (exitCode != 0) throw new InvalidOperationException($"user add {userName} failed ({exitCode}):\n{verb.Tail()}");
    }

    public static async Task<Staff> SignInAsync(Uri baseAddress, string userName, TimeSpan requestTimeout)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() })
        {
            BaseAddress = baseAddress, Timeout = requestTimeout
        };
        var response = await http.PostAsJsonAsync("/api/session", new { userName, password = Password });
        if (!response.IsSuccessStatusCode)
        {
            http.Dispose();
            throw new InvalidOperationException($"sign-in of {userName} at {baseAddress} answered {(int)response.StatusCode}");
        }
        return new Staff(http);
    }

    /// <summary>POST /api/indicators/{code}/measurements: a figure as the entry form sends it.</summary>
    /// <param name="source">Each drill records under its own source, so that its figures can be told apart in the store.</param>
    public Task<HttpResponseMessage> RecordAsync(string code, string period, DateOnly asOf, decimal value, string source, string note,
        CancellationToken ct = default) =>
        Http.PostAsJsonAsync($"/api/indicators/{code}/measurements",
            new { period, asOf = asOf.ToString("yyyy-MM-dd"), value, source, note }, ct);

    private const int Months = 20 * 12;

    /// <summary>
    /// The n-th monthly figure of a drill: the months of 2000-2019 in turn, known a day after the month ends. They cycle,
    /// because a drill writing as fast as it can would otherwise reach a month that has not ended (on 2026-12-04 a writer's
    /// 324th figure was refused with 400: its as-of date was in the future). Each write is told apart by its note, not its month.
    /// </summary>
    public static (string Period, DateOnly AsOf) Month(int n)
    {
        var month = new DateOnly(2000, 1, 1).AddMonths(n % Months);
        return ($"{month:yyyy-MM}", month.AddMonths(1));
    }

    public void Dispose() => Http.Dispose();
}
