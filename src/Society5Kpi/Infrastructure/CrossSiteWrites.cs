namespace Society5Kpi.Infrastructure;

/// <summary>
/// Refuses an API write that a browser sends from another site, whatever cookie it carries: the Origin header (or,
/// without it, Sec-Fetch-Site) must name this site. Scripts and tools that send neither (curl, the command line) are let
/// through: a browser always sends one of them with a cross-site POST. Security:AllowedOrigins lists other origins
/// allowed to write (e.g. a separate front end), comma-separated.
/// </summary>
public static class CrossSiteWrites
{
    public static async Task Refuse(HttpContext http, Func<Task> next)
    {
        if (IsWrite(http.Request) && http.Request.Path.StartsWithSegments("/api") && FromAnotherSite(http) is { } origin)
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Writes from another site are refused",
                detail: $"This request came from {origin}, not from this site; nothing was written.").ExecuteAsync(http);
            return;
        }
        await next();
    }

    private static bool IsWrite(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));

    /// <summary>The other site the request came from, or null when it came from this one (or from no browser).</summary>
    private static string? FromAnotherSite(HttpContext http)
    {
        var origin = http.Request.Headers.Origin.ToString();
        if (origin.Length == 0)
            return http.Request.Headers["Sec-Fetch-Site"].ToString() == "cross-site" ? "another site (Sec-Fetch-Site: cross-site)" : null;
        // Compared on host and port: behind a proxy that ends TLS the scheme seen here differs from the browser's.
        if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && string.Equals(uri.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
            return null;
        var allowed = http.RequestServices.GetRequiredService<IConfiguration>()["Security:AllowedOrigins"] ?? "";
        return allowed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Contains(origin.TrimEnd('/'), StringComparer.OrdinalIgnoreCase) ? null : origin;
    }
}
