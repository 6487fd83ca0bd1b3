using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Society5Kpi.Seeds;

/// <summary>
/// Whether the plan is in the store. On a first start the seeds are imported after the app starts listening; until
/// that has finished, every request is answered 503 with a "preparing" page (and /health is Unhealthy), so that no
/// visitor ever sees an empty plan.
/// </summary>
public sealed class SeedReadiness(IConfiguration configuration)
{
    private volatile bool _ready = !configuration.GetValue<bool>("Seeds:ImportOnStart");

    public bool Ready => _ready;

    public void MarkReady() => _ready = true;

    /// <summary>Answers 503 (with Retry-After) to everything but /health while the seeds are being imported.</summary>
    public static async Task Gate(HttpContext http, Func<Task> next)
    {
        if (http.RequestServices.GetRequiredService<SeedReadiness>().Ready || http.Request.Path.StartsWithSegments("/health"))
        {
            await next();
            return;
        }
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = "2";
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(statusCode: 503, title: "The plan is being imported",
                detail: "The service has just started and is importing the plan's seed data. Try again in a few seconds.").ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(PreparingPage);
    }

    private const string PreparingPage = """
        <!DOCTYPE html>
        <html lang="ja"><head><meta charset="utf-8"><meta http-equiv="refresh" content="2">
        <meta name="viewport" content="width=device-width, initial-scale=1"><title>準備中 / Preparing</title></head>
        <body style="font-family:sans-serif;margin:3rem">
        <h1>準備中です</h1><p>計画のデータを読み込んでいます。数秒後に自動で表示されます。</p>
        <p lang="en">The plan's data is being loaded. This page shows the dashboard by itself in a few seconds.</p>
        </body></html>
        """;
}

public sealed class SeedReadinessHealthCheck(SeedReadiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(readiness.Ready ? HealthCheckResult.Healthy("plan imported") : HealthCheckResult.Unhealthy("importing the plan"));
}
