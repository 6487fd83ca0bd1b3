using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using Society5Kpi.Domain;
using Society5Kpi.Infrastructure;
using Society5Kpi.Municipalities.Registering;
using Wolverine.Http;

namespace Society5Kpi.Indicators.Milestones;

/// <summary>A milestone reached, or a case (事例), toward a promotion goal (推進目標) that has no numeric target.</summary>
public enum MilestoneKind { Milestone, Case }

public sealed record MilestoneRecorded(
    string IndicatorCode, Guid MilestoneId, MilestoneKind Kind, string Title, DateOnly Date, string? MunicipalityCode,
    string? Link, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record RecordMilestone(
    string IndicatorCode, MilestoneKind? Kind, string? Title, DateOnly? Date, string? MunicipalityCode, string? Link,
    long? ExpectedVersion, string RecordedBy);

public sealed record RecordMilestoneRequest(MilestoneKind? Kind, string? Title, DateOnly? Date, string? MunicipalityCode, string? Link, long? ExpectedVersion);

public sealed record MilestoneAccepted(string IndicatorCode, Guid MilestoneId, long Version);

public sealed class RecordMilestoneValidator : AbstractValidator<RecordMilestone>
{
    public RecordMilestoneValidator(IndicatorProgress? indicator, DateOnly today)
    {
        RuleFor(c => c.IndicatorCode).MustBeAnIndicator(indicator);
        RuleFor(c => c.IndicatorCode)
            .Must(_ => indicator!.Measure == Measure.Qualitative)
            .When(_ => indicator is not null)
            .WithMessage(c => $"{c.IndicatorCode} is tracked by figures, not milestones: record a measurement instead.");
        RuleFor(c => c.Kind).NotNull().IsInEnum();
        RuleFor(c => c.Title).NotEmpty().MaximumLength(300);
        RuleFor(c => c.Date).NotNull().MustBeASupportedDate()
            .LessThanOrEqualTo(today).WithMessage(c => $"The date {c.Date:yyyy-MM-dd} is in the future.");
        RuleFor(c => c.MunicipalityCode)
            .Must(LocalGovernmentCode.IsValidHokkaido).When(c => !string.IsNullOrEmpty(c.MunicipalityCode))
            .WithMessage(c => $"'{c.MunicipalityCode}' is not a Hokkaido municipality code.");
        RuleFor(c => c.Link)
            .Must(link => Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            .When(c => !string.IsNullOrEmpty(c.Link))
            .WithMessage("The link must be an http(s) address.");
    }
}

public static class RecordMilestoneHandler
{
    public static async Task<MilestoneAccepted> Handle(RecordMilestone command, IDocumentSession session, TimeProvider clock)
    {
        var stream = await IndicatorStream.FetchAsync(session, command.IndicatorCode, command.ExpectedVersion);
        var now = clock.GetUtcNow();
        await new RecordMilestoneValidator(stream.Aggregate, JapanTime.Today(now)).ValidateAndThrowAsync(command);
        var recorded = new MilestoneRecorded(command.IndicatorCode, Guid.CreateVersion7(now), command.Kind!.Value, command.Title!,
            command.Date!.Value, NullIfEmpty(command.MunicipalityCode), NullIfEmpty(command.Link), command.RecordedBy, now);
        stream.AppendOne(recorded);
        return new MilestoneAccepted(command.IndicatorCode, recorded.MilestoneId, stream.CurrentVersion ?? 1);
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

public static class RecordMilestoneEndpoint
{
    [Authorize(Policy = Policies.Enter)]
    [WolverinePost("/api/indicators/{code}/milestones")]
    public static async Task<IResult> Post(string code, Wolverine.IMessageBus bus, HttpContext http)
    {
        var request = await RequestBody.ReadAsync<RecordMilestoneRequest>(http.Request, http.RequestAborted);
        var accepted = await bus.InvokeAsync<MilestoneAccepted>(new RecordMilestone(code, request.Kind, request.Title, request.Date,
            request.MunicipalityCode, request.Link, request.ExpectedVersion, Caller.NameOf(http)));
        return Results.Created($"/api/indicators/{code}", accepted);
    }
}
