namespace Society5Kpi.Infrastructure;

/// <summary>Who is calling, as events record it.</summary>
public static class Caller
{
    public const string Anonymous = "anonymous";

    public static string NameOf(HttpContext http) => http.User.Identity?.Name ?? Anonymous;
}
