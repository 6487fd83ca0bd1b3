using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Society5Kpi.Accounts;

/// <summary>
/// An open page (a Blazor circuit) outlives the request that checked its cookie: every minute it checks again that the
/// account's security stamp is unchanged, so a changed password or role ends the session there too.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, UserAccounts accounts)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct) =>
        state.User.FindFirstValue(UserAccount.StampClaim) is { } stamp
            ? accounts.IsCurrentAsync(state.User.Identity?.Name, stamp, ct)
            : Task.FromResult(true);
}
