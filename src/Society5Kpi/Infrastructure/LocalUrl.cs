using Microsoft.AspNetCore.Http.HttpResults;

namespace Society5Kpi.Infrastructure;

/// <summary>The one rule for where the app sends people after signing in or switching language: back into this site only.</summary>
public static class LocalUrl
{
    /// <summary>
    /// <paramref name="url"/> if it is a path on this site, else "/". ASP.NET Core's own test refuses "//evil.example"
    /// and "/\evil.example", which browsers read as another host.
    /// </summary>
    public static string OrHome(string? url) => RedirectHttpResult.IsLocalUrl(url) ? url! : "/";
}
