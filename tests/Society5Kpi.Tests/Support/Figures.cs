using Alba;
using Society5Kpi.Measurements.Recording;

namespace Society5Kpi.Tests.Support;

/// <summary>The secretariat's round trip in the specifications: an editor enters a figure, a reviewer publishes it.</summary>
public static class Figures
{
    public static async Task<MeasurementAccepted> RecordAsync(this IAlbaHost host, string code, object body, string editor = TestUsers.Editor)
    {
        var result = await host.Scenario(s =>
        {
            s.As(editor).Post.Json(body).ToUrl($"/api/indicators/{code}/measurements");
            s.StatusCodeShouldBe(201);
        });
        return result.ReadAsJson<MeasurementAccepted>()!;
    }

    public static Task<IScenarioResult> ReviewAsync(this IAlbaHost host, string code, Guid measurementId, string step, string user,
        object? body = null, int status = 200) =>
        host.Scenario(s =>
        {
            s.As(user).Post.Json(body ?? new { }).ToUrl($"/api/indicators/{code}/measurements/{measurementId}/{step}");
            s.StatusCodeShouldBe(status);
        });

    /// <summary>Submits a recorded (or corrected) figure and has the reviewer approve it; a municipality's with its code.</summary>
    public static async Task PublishAsync(this IAlbaHost host, string code, Guid measurementId, string? municipality = null)
    {
        await host.ReviewAsync(code, measurementId, "submission", TestUsers.Editor, new { municipality });
        await host.ReviewAsync(code, measurementId, "approval", TestUsers.Reviewer, new { municipality });
    }

    public static async Task<MeasurementAccepted> RecordPublishedAsync(this IAlbaHost host, string code, object body)
    {
        var accepted = await host.RecordAsync(code, body);
        await host.PublishAsync(code, accepted.MeasurementId);
        return accepted;
    }
}
