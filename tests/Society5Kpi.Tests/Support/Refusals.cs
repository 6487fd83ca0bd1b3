using Alba;
using Microsoft.AspNetCore.Mvc;

namespace Society5Kpi.Tests.Support;

public static class Refusals
{
    /// <summary>
    /// The promise for bad input: a 400 whose problem details name the field with a real message, and not one
    /// event written. <paramref name="call"/> must expect the 400 itself.
    /// </summary>
    public static async Task<ValidationProblemDetails> ShouldBeRefusedAsync(this AppFixture app, Func<Task<IScenarioResult>> call, string field)
    {
        var eventsBefore = (await app.AllEventsAsync()).Count;

        var result = await call();

        var problem = result.ReadAsJson<ValidationProblemDetails>()!;
        problem.Errors.Keys.ShouldContain(field, $"problem: {result.ReadAsText()}");
        problem.Errors[field].ShouldAllBe(message => message.Length > 10);
        (await app.AllEventsAsync()).Count.ShouldBe(eventsBefore, "a refused request writes nothing");
        return problem;
    }
}
