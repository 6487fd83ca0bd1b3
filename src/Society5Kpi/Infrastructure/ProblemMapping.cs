using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Society5Kpi.Infrastructure;

/// <summary>
/// Turns the refusals that handlers throw into problem details: invalid input is a 400 naming each field,
/// a write that lost an optimistic-concurrency race is a 409, a database that cannot be reached just now is a 503
/// with Retry-After (the health check is red meanwhile). Anything else stays a 500.
/// </summary>
public sealed class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = ProblemFor(exception);
        if (problem is null) return false;
        http.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable) http.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    public static ProblemDetails? ProblemFor(Exception exception) => exception switch
    {
        ValidationException invalid => new ValidationProblemDetails(invalid.Errors
            .GroupBy(e => CamelCase(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The input is not valid",
            Detail = string.Join(" ", invalid.Errors.Select(e => e.ErrorMessage))
        },
        BadHttpRequestException bad => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest, Title = "The request could not be read", Detail = bad.Message
        },
        _ when ExpectedVersion.LostARace(exception) => new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Title = "Someone else changed this at the same time",
            Detail = exception is StreamChangedException
                ? exception.Message
                : "Another change was saved first. Reload and try again; nothing of yours was written."
        },
        // A value PostgreSQL's types cannot hold (class 22, data exception) got past the checks: still the input's fault.
        Npgsql.PostgresException { SqlState: var state } when state.StartsWith("22") => new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest, Title = "The input could not be stored",
            Detail = "A value in the request cannot be stored (PostgreSQL refused it as data). Nothing was written."
        },
        // Not reached, refused or cut off (a restart): transient, and a refused write was not acknowledged.
        Npgsql.NpgsqlException npgsql when npgsql is not Npgsql.PostgresException || npgsql.IsTransient => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable, Title = "The database is not reachable just now",
            Detail = "Try again in a few seconds. A write answered with this was not acknowledged."
        },
        _ => exception.InnerException is { } inner ? ProblemFor(inner) : null
    };

    private static string CamelCase(string name) =>
        string.IsNullOrEmpty(name) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
