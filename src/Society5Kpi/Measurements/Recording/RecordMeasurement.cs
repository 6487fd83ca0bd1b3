using FluentValidation;
using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Infrastructure;
using Wolverine.Http;

namespace Society5Kpi.Measurements.Recording;

public sealed record MeasurementRecorded(
    string IndicatorCode, Guid MeasurementId, Period Period, DateOnly AsOf, decimal Value,
    string? Source, string? Note, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>
/// A figure for an indicator. ExpectedVersion, when given, is the indicator's version the writer saw:
/// if someone else wrote in between, the command is refused rather than silently applied.
/// </summary>
public sealed record RecordMeasurement(
    string IndicatorCode, string? Period, DateOnly? AsOf, decimal? Value, string? Source, string? Note,
    long? ExpectedVersion, string RecordedBy);

public sealed record MeasurementAccepted(string IndicatorCode, Guid MeasurementId, long Version);

/// <summary>Body of POST /api/indicators/{code}/measurements.</summary>
public sealed record RecordMeasurementRequest(
    string? Period, DateOnly? AsOf, decimal? Value, string? Source, string? Note, long? ExpectedVersion);

public sealed class RecordMeasurementValidator : AbstractValidator<RecordMeasurement>
{
    public RecordMeasurementValidator(IndicatorProgress? indicator, DateOnly today)
    {
        RuleFor(c => c.IndicatorCode)
            .Must(_ => indicator is not null)
            .WithMessage(c => $"There is no indicator '{c.IndicatorCode}'.");
        RuleFor(c => c.Period)
            .NotEmpty()
            .Must(p => Domain.Period.TryParse(p, out _))
            .WithMessage(c => $"'{c.Period}' is not a period (expected e.g. FY2024Q3, FY2024, 2024-01).");
        RuleFor(c => c.AsOf)
            .NotNull()
            .LessThanOrEqualTo(today).WithMessage(c => $"The as-of date {c.AsOf:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}).");
        RuleFor(c => c.AsOf)
            .Must((c, asOf) => asOf >= Domain.Period.Parse(c.Period!).Start)
            .When(c => c.AsOf is not null && Domain.Period.TryParse(c.Period, out _))
            .WithMessage(c => $"The as-of date {c.AsOf:yyyy-MM-dd} is before the period {c.Period} begins.");
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
    }
}

public static class RecordMeasurementHandler
{
    public static async Task<MeasurementAccepted> Handle(
        RecordMeasurement command, IDocumentSession session, TimeProvider clock)
    {
        // Optimistic concurrency: the append is checked against the version read here.
        var stream = await session.Events.FetchForWriting<IndicatorProgress>(command.IndicatorCode);
        var now = clock.GetUtcNow();
        await new RecordMeasurementValidator(stream.Aggregate, JapanTime.Today(now)).ValidateAndThrowAsync(command);
        if (command.ExpectedVersion is { } expected && expected != stream.CurrentVersion)
            throw new IndicatorChangedException(command.IndicatorCode, expected, stream.CurrentVersion ?? 0);

        var recorded = new MeasurementRecorded(
            command.IndicatorCode, Guid.CreateVersion7(now), Domain.Period.Parse(command.Period!),
            command.AsOf!.Value, command.Value!.Value, command.Source, command.Note, command.RecordedBy, now);
        stream.AppendOne(recorded);
        // CurrentVersion already counts the appended event.
        return new MeasurementAccepted(command.IndicatorCode, recorded.MeasurementId, stream.CurrentVersion ?? 1);
    }
}

public static class RecordMeasurementEndpoint
{
    [WolverinePost("/api/indicators/{code}/measurements")]
    public static async Task<IResult> Post(string code, Wolverine.IMessageBus bus, HttpContext http)
    {
        var request = await RequestBody.ReadAsync<RecordMeasurementRequest>(http.Request, http.RequestAborted);
        var accepted = await bus.InvokeAsync<MeasurementAccepted>(new RecordMeasurement(
            code, request.Period, request.AsOf, request.Value, request.Source, request.Note,
            request.ExpectedVersion, http.User.Identity?.Name ?? "anonymous"));
        return Results.Created($"/api/indicators/{code}", accepted);
    }
}
