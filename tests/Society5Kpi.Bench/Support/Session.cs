using System.Net.Http.Json;

namespace Society5Kpi.Bench.Support;

/// <summary>Signing in as an API client does: POST /api/session, keep the cookie.</summary>
public static class Session
{
    public static async Task<string> SignInAsync(Uri baseAddress, string userName, string password)
    {
        using var http = new HttpClient { BaseAddress = baseAddress };
        var response = await http.PostAsJsonAsync("api/session", new { userName, password });
        response.EnsureSuccessStatusCode();
        var cookie = response.Headers.GetValues("Set-Cookie").First(c => c.StartsWith("s5k.session="));
        return cookie.Split(';')[0];
    }

    /// <summary>
    /// A client sending the session cookie by hand (SameSite=Strict cookies are sent by a browser only to their own site;
    /// an API client sends no Origin header, which the cross-site rule lets through).
    /// </summary>
    public static HttpClient Client(Uri baseAddress, string cookie)
    {
        var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Add("Cookie", cookie);
        return http;
    }
}
