using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using FluentValidation;
using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Infrastructure;
using Wolverine.Http;

namespace Society5Kpi.Indicators.Reviewing;

/// <summary>A reviewer's judgement replacing the computed status, with the reason. The computed one stays visible beside it.</summary>
public sealed record StatusOverridden(string IndicatorCode, Status Status, string Reason, string OverriddenBy, DateTimeOffset OverriddenAt);

public sealed record StatusOverrideCleared(string IndicatorCode, string Reason, string ClearedBy, DateTimeOffset ClearedAt);

/// <summary>Override the computed status (Status set) or go back to it (Status null).</summary>
public sealed record OverrideStatus(string IndicatorCode, Status? Status, string? Reason, long? ExpectedVersion, string ReviewedBy);

public sealed record OverrideStatusRequest(Status? Status, string? Reason, long? ExpectedVersion);

public sealed record StatusOverrideResult(string IndicatorCode, long Version);

public sealed class OverrideStatusValidator : AbstractValidator<OverrideStatus>
{
    public OverrideStatusValidator(IndicatorProgress? indicator)
    {
        RuleFor(c => c.IndicatorCode).MustBeAnIndicator(indicator);
        RuleFor(c => c.Reason).NotEmpty().WithMessage("An override needs a reason.").MaximumLength(2000);
        RuleFor(c => c.Status).IsInEnum();
        RuleFor(c => c.Status).NotNull().When(_ => indicator?.StatusOverride is null)
            .WithMessage("There is no override to clear.");
    }
}

public static class OverrideStatusHandler
{
    public static async Task<StatusOverrideResult> Handle(OverrideStatus command, IDocumentSession session, TimeProvider clock)
    {
        var stream = await IndicatorStream.FetchAsync(session, command.IndicatorCode, command.ExpectedVersion);
        await new OverrideStatusValidator(stream.Aggregate).ValidateAndThrowAsync(command);
        var now = clock.GetUtcNow();
        stream.AppendOne(command.Status is { } status
            ? new StatusOverridden(command.IndicatorCode, status, command.Reason!, command.ReviewedBy, now)
            : new StatusOverrideCleared(command.IndicatorCode, command.Reason!, command.ReviewedBy, now));
        return new StatusOverrideResult(command.IndicatorCode, stream.CurrentVersion ?? 0);
    }
}

public static class OverrideStatusEndpoint
{
    [Authorize(Policy = Policies.Review)]
    [WolverinePost("/api/indicators/{code}/status-override")]
    public static async Task<StatusOverrideResult> Post(string code, Wolverine.IMessageBus bus, HttpContext http)
    {
        var request = await RequestBody.ReadAsync<OverrideStatusRequest>(http.Request, http.RequestAborted);
        return await bus.InvokeAsync<StatusOverrideResult>(
            new OverrideStatus(code, request.Status, request.Reason, request.ExpectedVersion, Caller.NameOf(http)));
    }
}
