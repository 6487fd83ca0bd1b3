using Alba;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Society5Kpi.Accounts;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Accounts;

/// <summary>
/// The role matrix, over every write endpoint the app maps (found from its routing table, so a new endpoint
/// cannot be forgotten): anonymous callers get 401, the wrong role 403, the right role gets past the door to exactly
/// the refusal its empty request deserves (a 400 naming what is missing, or a 404 for an import that does not exist).
/// </summary>
public class when_checking_who_may_write(AppFixture app) : AppSpecification(app)
{
    private static readonly Dictionary<string, string[]> RolesOfPolicy = new()
    {
        [Policies.Enter] = [Roles.Editor, Roles.Administrator],
        [Policies.Review] = [Roles.Reviewer, Roles.Administrator],
        [Policies.Administer] = [Roles.Administrator],
    };

    public static TheoryData<string> WriteEndpoints()
    {
        var data = new TheoryData<string>();
        foreach (var (method, route, _) in Writes()) data.Add($"{method} {route}");
        return data;
    }

    private static IEnumerable<(string Method, string Route, string? Policy)> Writes()
    {
        // The routing table of a host built the same way as the fixture's; endpoints do not depend on data.
        var host = AppFixture.Current.Host;
        return host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(m => m is "POST" or "PUT" or "DELETE" or "PATCH")
                .Select(m => (m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<AuthorizeAttribute>()?.Policy)))
            .Where(w => w.Item2.StartsWith("/api/") && w.Item2 != "/api/session")
            .OrderBy(w => w.Item2).ThenBy(w => w.Item1);
    }

    /// <summary>What the right role gets for an empty request: the door opens, the empty body is refused.</summary>
    private static int ExpectedForTheRightRole(string route) => route switch
    {
        "/api/imports/measurements/{id}/confirm" => 404,
        _ => 400
    };

    private static string Concrete(string route) => route
        .Replace("{code}", "DAT-01").Replace("{measurementId}", Guid.Empty.ToString());

    private Task<IScenarioResult> Call(string method, string route, string? user) => Host.Scenario(s =>
    {
        if (user is not null) s.As(user);
        var url = Concrete(route);
        switch (method)
        {
            case "POST": s.Post.Json(new { }).ToUrl(url); break;
            case "PUT": s.Put.Json(new { }).ToUrl(url); break;
            case "PATCH": s.Patch.Json(new { }).ToUrl(url); break;
            default: s.Delete.Url(url); break;
        }
        s.IgnoreStatusCode();
    });

    [Fact]
    public void every_write_endpoint_names_who_may_call_it()
    {
        var writes = Writes().ToList();
        writes.Count.ShouldBeGreaterThanOrEqualTo(8);
        writes.ShouldAllBe(w => w.Policy != null && RolesOfPolicy.ContainsKey(w.Policy));
    }

    [Theory]
    [MemberData(nameof(WriteEndpoints), DisableDiscoveryEnumeration = true)]
    public async Task anonymous_callers_get_401_and_each_role_gets_what_its_policy_allows(string endpoint)
    {
        var (method, route, policy) = Writes().Single(w => $"{w.Method} {w.Route}" == endpoint);
        var eventsBefore = (await App.AllEventsAsync()).Count;

        (await Call(method, route, null)).Context.Response.StatusCode.ShouldBe(401, "anonymous");
        foreach (var (user, roles) in TestUsers.All)
        {
            var status = (await Call(method, route, user)).Context.Response.StatusCode;
            if (roles.Any(RolesOfPolicy[policy!].Contains)) status.ShouldBe(ExpectedForTheRightRole(route), $"{user} ({string.Join(",", roles)})");
            else status.ShouldBe(403, $"{user} ({string.Join(",", roles)})");
        }
        (await App.AllEventsAsync()).Count.ShouldBe(eventsBefore, "no refused or empty request writes anything");
    }

    [Fact]
    public async Task a_wrong_password_is_401_and_signs_nobody_in()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(new { userName = TestUsers.Editor, password = "not the password" }).ToUrl("/api/session");
            s.StatusCodeShouldBe(401);
        });
        result.Context.Response.Headers.SetCookie.ToString().ShouldNotContain("s5k.session=");
    }
}
