using System.Security.Claims;
using Wolverine;

namespace Society5Kpi.Infrastructure;

public static class PageCommands
{
    /// <summary>
    /// Sends a command from a page as the signed-in person, so that their name goes into each event's user-name
    /// column as it does for HTTP writes (a Blazor circuit has no request for Wolverine to take it from).
    /// </summary>
    public static Task<T> InvokeAsAsync<T>(this IMessageContext bus, ClaimsPrincipal user, object command)
    {
        bus.UserName = user.Identity?.Name;
        return bus.InvokeAsync<T>(command);
    }
}
