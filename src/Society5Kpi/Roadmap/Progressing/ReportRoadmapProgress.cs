using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using FluentValidation;
using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Infrastructure;
using Society5Kpi.Roadmap.Planning;
using Wolverine.Http;

namespace Society5Kpi.Roadmap.Progressing;

/// <summary>The item actually started in this fiscal year (on a day, where the source gives it), as the source says.</summary>
public sealed record RoadmapItemStarted(string Code, Period FiscalYear, string? Note, string By, DateTimeOffset At,
    DateOnly? On = null, string? Source = null);

/// <summary>The item was actually completed in this fiscal year.</summary>
public sealed record RoadmapItemCompleted(string Code, Period FiscalYear, string? Note, string By, DateTimeOffset At,
    DateOnly? On = null, string? Source = null);

/// <summary>The item's schedule moved: these years replace the planned ones (none given: deferred without a new date).</summary>
public sealed record RoadmapItemDeferred(
    string Code, Period? NewPlannedFrom, Period? NewPlannedTo, string Reason, string By, DateTimeOffset At,
    DateOnly? On = null, string? Source = null);

// Numbered from 1 so that a request without a kind is refused rather than read as Started.
public enum RoadmapProgressKind { Started = 1, Completed, Deferred }

/// <param name="On">The day it happened, where known; <paramref name="Source"/> the document or page that reports it.</param>
public sealed record ReportRoadmapProgress(
    string Code, RoadmapProgressKind Kind, string? FiscalYear, string? NewPlannedFrom, string? NewPlannedTo,
    string? Note, string? Reason, long? ExpectedVersion, string By, DateOnly? On = null, string? Source = null);

public sealed record ReportRoadmapProgressRequest(
    RoadmapProgressKind Kind, string? FiscalYear, string? NewPlannedFrom, string? NewPlannedTo,
    string? Note, string? Reason, long? ExpectedVersion, DateOnly? On = null, string? Source = null);

public sealed record RoadmapItemChanged(string Code, long Version);

public sealed class ReportRoadmapProgressValidator : AbstractValidator<ReportRoadmapProgress>
{
    public ReportRoadmapProgressValidator(RoadmapItem? item, DateOnly today)
    {
        var thisYear = Period.FiscalYearOf(today);
        RuleFor(c => c.Code).Must(_ => item is not null).WithMessage((_, code) => $"There is no roadmap item '{code}'.");
        RuleFor(c => c.Kind).IsInEnum().WithMessage("kind must be Started, Completed or Deferred.");
        RuleFor(c => c.Note).MaximumLength(2000);
        RuleFor(c => c.Source).MaximumLength(500);
        RuleFor(c => c.On).MustBeASupportedDate().LessThanOrEqualTo(today)
            .WithMessage(c => $"{c.On:yyyy-MM-dd} is not a day up to today ({SupportedDates.Range}).");
        RuleFor(c => c.On)
            .Must((c, on) => Period.FiscalYearOf(on!.Value) == FiscalYearIn(c.FiscalYear)!.Value.Year)
            .When(c => c.On is not null && FiscalYearIn(c.FiscalYear) is not null)
            .WithMessage(c => $"{c.On:yyyy-MM-dd} is not in {c.FiscalYear}.");

        When(c => c.Kind is RoadmapProgressKind.Started or RoadmapProgressKind.Completed, () =>
        {
            RuleFor(c => c.FiscalYear).NotEmpty().WithMessage("Say in which fiscal year (e.g. FY2023).")
                .Must(y => FiscalYearIn(y) is not null).WithMessage("fiscalYear must be a fiscal year written FY2023.")
                .Must(y => FiscalYearIn(y) is not { } year || year.Year <= thisYear)
                .WithMessage(c => $"{c.FiscalYear} has not begun yet (it is FY{thisYear} in Japan).");
        });
        When(_ => item is not null, () =>
        {
            RuleFor(c => c.Kind).Must(_ => item!.ActualEnd is null)
                .WithMessage(_ => $"{item!.Id} was already completed in {item.ActualEnd}.");
            RuleFor(c => c.Kind).Must(_ => item!.ActualStart is null).When(c => c.Kind == RoadmapProgressKind.Started)
                .WithMessage(_ => $"{item!.Id} already started in {item.ActualStart}.");
            RuleFor(c => c.FiscalYear)
                .Must(y => FiscalYearIn(y) is not { } year || item!.ActualStart is not { } start || year.Year >= start.Year)
                .When(c => c.Kind == RoadmapProgressKind.Completed)
                .WithMessage(c => $"{item!.Id} cannot be completed in {c.FiscalYear}, before it started ({item.ActualStart}).");
            // Once started, only the planned end can still move.
            RuleFor(c => c.NewPlannedFrom).Empty().When(c => c.Kind == RoadmapProgressKind.Deferred && item!.ActualStart is not null)
                .WithMessage(_ => $"{item!.Id} already started in {item.ActualStart}: only newPlannedTo can move.");
        });
        When(c => c.Kind == RoadmapProgressKind.Deferred, () =>
        {
            RuleFor(c => c.Reason).NotEmpty().WithMessage("A deferral needs a reason.").MaximumLength(2000);
            RuleFor(c => c.NewPlannedFrom).Must(y => FiscalYearIn(y) is not null).When(c => !string.IsNullOrEmpty(c.NewPlannedFrom))
                .WithMessage("newPlannedFrom must be a fiscal year written FY2026.");
            RuleFor(c => c.NewPlannedTo).Must(y => FiscalYearIn(y) is not null).When(c => !string.IsNullOrEmpty(c.NewPlannedTo))
                .WithMessage("newPlannedTo must be a fiscal year written FY2026.");
            RuleFor(c => c.NewPlannedTo).Must((c, to) => FiscalYearIn(to)!.Value.Year >= FiscalYearIn(c.NewPlannedFrom)!.Value.Year)
                .When(c => FiscalYearIn(c.NewPlannedFrom) is not null && FiscalYearIn(c.NewPlannedTo) is not null)
                .WithMessage(c => $"The item would end ({c.NewPlannedTo}) before it starts ({c.NewPlannedFrom}).");
        });
    }

    public static Period? FiscalYearIn(string? text) =>
        Period.TryParse(text, out var period) && period.Kind == PeriodKind.FiscalYear ? period : null;
}

public static class ReportRoadmapProgressHandler
{
    public static async Task<RoadmapItemChanged> Handle(ReportRoadmapProgress command, IDocumentSession session, TimeProvider clock)
    {
        var stream = await session.FetchForWritingAsync<RoadmapItem>(command.Code, command.ExpectedVersion, $"Roadmap item {command.Code}");
        var now = clock.GetUtcNow();
        await new ReportRoadmapProgressValidator(stream.Aggregate, JapanTime.Today(now)).ValidateAndThrowAsync(command);

        var fiscalYear = ReportRoadmapProgressValidator.FiscalYearIn(command.FiscalYear);
        object change = command.Kind switch
        {
            RoadmapProgressKind.Started => new RoadmapItemStarted(command.Code, fiscalYear!.Value, command.Note, command.By, now, command.On, command.Source),
            RoadmapProgressKind.Completed => new RoadmapItemCompleted(command.Code, fiscalYear!.Value, command.Note, command.By, now, command.On, command.Source),
            _ => new RoadmapItemDeferred(command.Code, ReportRoadmapProgressValidator.FiscalYearIn(command.NewPlannedFrom),
                ReportRoadmapProgressValidator.FiscalYearIn(command.NewPlannedTo), command.Reason!, command.By, now, command.On, command.Source)
        };
        stream.AppendOne(change);
        return new RoadmapItemChanged(command.Code, stream.CurrentVersion ?? 0);
    }
}

public static class RoadmapEndpoints
{
    [WolverineGet("/api/roadmap")]
    public static async Task<IReadOnlyList<RoadmapItem>> GetAll(IQuerySession session, CancellationToken ct) =>
        await session.Query<RoadmapItem>().OrderBy(i => i.Id).ToListAsync(ct);

    [WolverineGet("/api/roadmap/{code}")]
    public static Task<RoadmapItem?> GetOne(string code, IQuerySession session, CancellationToken ct) =>
        session.LoadAsync<RoadmapItem>(code, ct);

    [Authorize(Policy = Policies.Enter)]
    [WolverinePost("/api/roadmap/{code}/progress")]
    public static async Task<RoadmapItemChanged> Report(string code, Wolverine.IMessageBus bus, HttpContext http)
    {
        var request = await RequestBody.ReadAsync<ReportRoadmapProgressRequest>(http.Request, http.RequestAborted);
        return await bus.InvokeAsync<RoadmapItemChanged>(new ReportRoadmapProgress(
            code, request.Kind, request.FiscalYear, request.NewPlannedFrom, request.NewPlannedTo,
            request.Note, request.Reason, request.ExpectedVersion, Caller.NameOf(http), request.On, request.Source));
    }
}
