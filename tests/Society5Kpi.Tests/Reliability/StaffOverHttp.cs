extern alias drill;
using drill::Society5Kpi.Drill;
using Society5Kpi.Tests.Support;

namespace Society5Kpi.Tests.Reliability;

/// <summary>
/// The fixture's app as the drills' checks see it: HTTP clients of Alba's in-memory server (the same middleware, routing
/// and handlers as Kestrel serves), the test users signed in through POST /api/session, the fixture's database.
/// </summary>
public static class StaffOverHttp
{
    public static async Task<TargetApp> TargetAsync(AppFixture app)
    {
        HttpClient NewClient() => app.Host.Server.CreateClient();
        return new TargetApp(app.Host.Services, app.ConnectionString, NewClient, await TargetApp.SignInAsync(NewClient, TestUsers.Password));
    }
}
