namespace Society5Kpi.Infrastructure;

/// <summary>Who is calling, as events record it.</summary>
public static class Caller
{
    public const string Anonymous = "anonymous";

    public static string NameOf(HttpContext http) => http.User.Identity?.Name ?? Anonymous;

    /// <summary>The client's address, for throttling and rate limits (the connection's; behind a proxy, configure forwarded headers).</summary>
    public static string AddressOf(HttpContext http) => http.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The secretariat, reviewers and council members see figures before they are published; the public does not.</summary>
    public static bool MaySeeDrafts(System.Security.Claims.ClaimsPrincipal user) =>
        Accounts.Roles.All.Any(user.IsInRole);
}
