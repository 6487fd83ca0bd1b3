using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using FluentValidation;
using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Infrastructure;
using Wolverine.Http;

namespace Society5Kpi.Measurements.Recording;

/// <param name="KnownFrom">
/// Since when the figure was known: when it was recorded, or for a figure imported from a past document,
/// the date that document reports it for. The view "as of a date" keeps the figures known by then.
/// </param>
public sealed record MeasurementRecorded(
    string IndicatorCode, Guid MeasurementId, Period Period, DateOnly AsOf, decimal Value,
    string? Source, string? Note, string RecordedBy, DateTimeOffset RecordedAt, DateTimeOffset KnownFrom,
    bool Published = false);

/// <summary>
/// A figure for an indicator. ExpectedVersion, when given, is the indicator's version the writer saw:
/// if someone else wrote in between, the command is refused rather than silently applied.
/// KnownFrom is set only when importing figures from past documents (see MeasurementRecorded); such a
/// figure was published by its document already, so it is recorded as published. Any other is a draft
/// until a reviewer approves it.
/// </summary>
public sealed record RecordMeasurement(
    string IndicatorCode, string? Period, DateOnly? AsOf, decimal? Value, string? Source, string? Note,
    long? ExpectedVersion, string RecordedBy, DateTimeOffset? KnownFrom = null);

public sealed record MeasurementAccepted(string IndicatorCode, Guid MeasurementId, long Version);

/// <summary>Body of POST /api/indicators/{code}/measurements.</summary>
public sealed record RecordMeasurementRequest(
    string? Period, DateOnly? AsOf, decimal? Value, string? Source, string? Note, long? ExpectedVersion);

public sealed class RecordMeasurementValidator : AbstractValidator<RecordMeasurement>
{
    public RecordMeasurementValidator(IndicatorProgress? indicator, DateOnly today)
    {
        RuleFor(c => c.IndicatorCode).MustBeAnIndicator(indicator);
        RuleFor(c => c.Period)
            .NotEmpty()
            .Must(p => Domain.Period.TryParse(p, out _))
            .WithMessage(c => $"'{c.Period}' is not a period (expected e.g. FY2024Q3, FY2024, 2024-01).");
        RuleFor(c => c.AsOf)
            .NotNull()
            .MustBeASupportedDate()
            .LessThanOrEqualTo(today).WithMessage(c => $"The as-of date {c.AsOf:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}).");
        RuleFor(c => c.AsOf)
            .Must((c, asOf) => asOf >= Domain.Period.Parse(c.Period!).Start)
            .When(c => c.AsOf is not null && Domain.Period.TryParse(c.Period, out _))
            .WithMessage(c => $"The as-of date {c.AsOf:yyyy-MM-dd} is before the period {c.Period} begins.");
        // A count of municipalities is counted from their facts; only the documents' past figures are imported.
        RuleFor(c => c.Value)
            .Must((c, _) => indicator?.DerivedFrom is null || c.KnownFrom is not null)
            .WithMessage(c => $"{c.IndicatorCode} is counted from the municipalities' recorded facts ({indicator!.DerivedFrom}): " +
                              "record each municipality's fact instead of typing the count.");
        RuleFor(c => c.Value)
            .NotNull()
            .Must(v => indicator?.Measure != Measure.Qualitative)
            .WithMessage("This indicator is qualitative: it is tracked by milestones and cases, not a number.");
        RuleFor(c => c.Value)
            .Must(v => MeasureUnit.ProblemWith(v!.Value, indicator!.Unit) is null)
            .When(c => c.Value is not null && indicator is not null)
            .WithMessage(c => $"The value {c.Value} {MeasureUnit.ProblemWith(c.Value!.Value, indicator!.Unit)}.");
        RuleFor(c => c.Source).MaximumLength(500);
        RuleFor(c => c.Note).MaximumLength(2000);
        RuleFor(c => c.RecordedBy).NotEmpty();
        RuleFor(c => c.KnownFrom).LessThanOrEqualTo(c => JapanTime.StartOf(today.AddDays(1))).When(c => c.KnownFrom is not null)
            .WithMessage("A figure cannot be known from a date in the future.");
    }
}

public static class RecordMeasurementHandler
{
    public static async Task<MeasurementAccepted> Handle(
        RecordMeasurement command, IDocumentSession session, TimeProvider clock)
    {
        var stream = await IndicatorStream.FetchAsync(session, command.IndicatorCode, command.ExpectedVersion);
        var now = clock.GetUtcNow();
        await new RecordMeasurementValidator(stream.Aggregate, JapanTime.Today(now)).ValidateAndThrowAsync(command);

        var recorded = new MeasurementRecorded(
            command.IndicatorCode, Guid.CreateVersion7(now), Domain.Period.Parse(command.Period!),
            command.AsOf!.Value, command.Value!.Value, command.Source, command.Note, command.RecordedBy, now,
            command.KnownFrom ?? now, Published: command.KnownFrom is not null);
        stream.AppendOne(recorded);
        // CurrentVersion already counts the appended event.
        return new MeasurementAccepted(command.IndicatorCode, recorded.MeasurementId, stream.CurrentVersion ?? 1);
    }
}

public static class RecordMeasurementEndpoint
{
    [Authorize(Policy = Policies.Enter)]
    [WolverinePost("/api/indicators/{code}/measurements")]
    public static async Task<IResult> Post(string code, Wolverine.IMessageBus bus, HttpContext http)
    {
        var request = await RequestBody.ReadAsync<RecordMeasurementRequest>(http.Request, http.RequestAborted);
        var accepted = await bus.InvokeAsync<MeasurementAccepted>(new RecordMeasurement(
            code, request.Period, request.AsOf, request.Value, request.Source, request.Note,
            request.ExpectedVersion, Caller.NameOf(http)));
        return Results.Created($"/api/indicators/{code}", accepted);
    }
}
