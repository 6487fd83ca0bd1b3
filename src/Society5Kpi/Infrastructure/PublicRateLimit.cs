using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Society5Kpi.Infrastructure;

/// <summary>
/// Public routes (pages, widgets, downloads, the read API) are limited per client address, so one client flooding them
/// gets 429 with Retry-After while everyone else is served. Signed-in staff, /health and static files are not counted.
/// Configured under RateLimiting: Enabled (default true; RateLimiting__Enabled=false for the load benchmarks),
/// PermitsPerWindow (default 300) and WindowSeconds (default 10).
/// </summary>
public static class PublicRateLimit
{
    public static void AddPublicRateLimit(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection("RateLimiting");
        if (!settings.GetValue("Enabled", true)) return;
        var permits = settings.GetValue("PermitsPerWindow", 300);
        var window = TimeSpan.FromSeconds(settings.GetValue("WindowSeconds", 10));
        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => PartitionOf(http) is { } address
                ? RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true
                })
                : RateLimitPartition.GetNoLimiter("not counted"));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : window;
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: $"This address sent more than {permits} requests in {window.TotalSeconds:0} s. Try again in a moment.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
    }

    public static void UsePublicRateLimit(this WebApplication app)
    {
        if (app.Configuration.GetSection("RateLimiting").GetValue("Enabled", true)) app.UseRateLimiter();
    }

    /// <summary>The client address a request counts against, or null when it is not counted.</summary>
    private static string? PartitionOf(HttpContext http)
    {
        var path = http.Request.Path;
        if (http.User.Identity?.IsAuthenticated == true || path.StartsWithSegments("/health") || path.StartsWithSegments("/_framework") ||
            path.StartsWithSegments("/_content") || path.StartsWithSegments("/_blazor") || Path.HasExtension(path.Value) && !path.StartsWithSegments("/embed") && !path.StartsWithSegments("/data"))
            return null;
        // An in-memory test server's connection has no address; Kestrel's always has one.
        return http.Connection.RemoteIpAddress?.ToString();
    }
}
