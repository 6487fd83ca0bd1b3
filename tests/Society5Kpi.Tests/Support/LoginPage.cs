using System.Net;
using System.Text.RegularExpressions;
using Alba;
using Microsoft.AspNetCore.Http;

namespace Society5Kpi.Tests.Support;

/// <summary>The sign-in page's form, posted as a browser posts it (antiforgery token and cookie included).</summary>
public static partial class LoginPage
{
    public static async Task<IScenarioResult> SubmitAsync(IAlbaHost host, string user, string password, string? returnUrl = null, string address = "198.51.100.1")
    {
        const string url = "/account/login";
        var page = await host.Scenario(s =>
        {
            s.Get.Url(url);
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address));
        });
        var html = page.ReadAsText();
        var token = Token().Match(html).Groups[1].Value;
        var cookie = page.Context.Response.Headers.SetCookie.ToString().Split(';')[0];
        return await host.Scenario(s =>
        {
            s.Post.FormData(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["_handler"] = "login",
                ["Input.UserName"] = user, ["Input.Password"] = password
            }).ToUrl(url);
            s.WithRequestHeader("Cookie", cookie);
            s.ConfigureHttpContext(c =>
            {
                c.Connection.RemoteIpAddress = IPAddress.Parse(address);
                // Alba would escape a '?' given in the URL of a form post into the path.
                if (returnUrl is not null) c.Request.QueryString = QueryString.Create("returnUrl", returnUrl);
            });
            s.IgnoreStatusCode();
        });
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
