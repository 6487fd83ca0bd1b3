namespace Society5Kpi.Components.Charts;

public static class PlotlyBundles
{
    /// <summary>
    /// PlotlyChart loads plotly.js from its plain address, which static assets serve for revalidation only. The file name
    /// carries plotly's version (plotly-basic-3.7.0.min.js), so it never changes under that name: browsers may keep it.
    /// </summary>
    public static Task CacheLong(HttpContext http, Func<Task> next)
    {
        if (http.Request.Path.StartsWithSegments("/_content/Plotly.Blazor") && http.Request.Path.Value!.EndsWith(".min.js"))
            http.Response.OnStarting(() =>
            {
                if (http.Response.StatusCode == StatusCodes.Status200OK)
                    http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                return Task.CompletedTask;
            });
        return next();
    }
}
