using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Society5Kpi.Accounts;

public sealed record SignInRequest(string? UserName, string? Password);

public sealed record SignedIn(string UserName, string DisplayName, string[] Roles);

/// <summary>Sign-in for API clients (the pages use /account/login). The session is a cookie.</summary>
public static class SignInEndpoints
{
    [WolverinePost("/api/session")]
    public static async Task<IResult> SignIn(SignInRequest request, UserAccounts accounts, HttpContext http)
    {
        var check = await accounts.CheckAsync(request.UserName, request.Password, Infrastructure.Caller.AddressOf(http), http.RequestAborted);
        if (check.RefusedFor is not null)
        {
            http.Response.Headers.RetryAfter = check.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins",
                detail: $"Sign-in is refused for {check.RetryAfterSeconds} seconds after repeated failures.");
        }
        if (check.Account is not { } account)
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized,
                title: "The user name or password is wrong.");
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            account.Principal(CookieAuthenticationDefaults.AuthenticationScheme));
        return Results.Ok(new SignedIn(account.Id, account.DisplayName, account.Roles));
    }

    [WolverineDelete("/api/session")]
    public static async Task<IResult> SignOut(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.NoContent();
    }
}
