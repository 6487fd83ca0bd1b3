using Alba;
using Society5Kpi.Accounts;

namespace Society5Kpi.Tests.Support;

/// <summary>The people of the specifications, each a real local account signed in through POST /api/session.</summary>
public static class TestUsers
{
    public const string Editor = "sato";            // 事務局
    public const string SecondEditor = "suzuki";    // 事務局
    public const string Reviewer = "tanaka";        // checks the figures
    public const string Administrator = "admin";
    public const string CouncilMember = "iin";      // 推進会議の委員
    public const string Password = "correct horse battery";

    public static readonly (string Name, string[] Roles)[] All =
    [
        (Editor, [Roles.Editor]), (SecondEditor, [Roles.Editor]), (Reviewer, [Roles.Reviewer]),
        (Administrator, [Roles.Administrator]), (CouncilMember, [Roles.Council])
    ];

    private static readonly Dictionary<string, string> Cookies = new();

    /// <summary>Creates the accounts and signs each in once; the session cookies stay valid across specifications.</summary>
    public static async Task SignInAllAsync(IAlbaHost host, UserAccounts accounts)
    {
        foreach (var (name, roles) in All)
        {
            await accounts.SaveAsync(new CreateAccount(name, name, roles, Password));
            var result = await host.Scenario(s =>
            {
                s.Post.Json(new { userName = name, password = Password }).ToUrl("/api/session");
                s.StatusCodeShouldBe(200);
            });
            var setCookie = result.Context.Response.Headers.SetCookie.ToString();
            Cookies[name] = setCookie.Split(';')[0];
        }
    }

    /// <summary>Makes the request as this user.</summary>
    public static Scenario As(this Scenario scenario, string user)
    {
        scenario.WithRequestHeader("Cookie", Cookies[user]);
        return scenario;
    }
}
