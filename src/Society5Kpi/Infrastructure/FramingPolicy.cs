namespace Society5Kpi.Infrastructure;

/// <summary>
/// Which sites may put this one in a frame: the widgets (/embed) any site, every other page only this site itself, so
/// that no other site can frame the staff's pages (clickjacking).
/// </summary>
public static class FramingPolicy
{
    public static Task Apply(HttpContext http, Func<Task> next)
    {
        var policy = http.Request.Path.StartsWithSegments("/embed") ? "frame-ancestors *" : "frame-ancestors 'self'";
        http.Response.OnStarting(() =>
        {
            http.Response.Headers.ContentSecurityPolicy = policy;
            return Task.CompletedTask;
        });
        return next();
    }
}
