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
/// <param name="MunicipalityCode">Set for a figure of one municipality (the indicator's breakdown), null for the prefecture's.</param>
/// <param name="Numerator">For a rate: what is counted (cards issued); with <paramref name="Denominator"/> (population).</param>
public sealed record MeasurementRecorded(
    string IndicatorCode, Guid MeasurementId, Period Period, DateOnly AsOf, decimal Value,
    string? Source, string? Note, string RecordedBy, DateTimeOffset RecordedAt, DateTimeOffset KnownFrom,
    bool Published = false, string? MunicipalityCode = null, decimal? Numerator = null, decimal? Denominator = null) : IFigureEvent;

/// <summary>
/// A figure for an indicator. ExpectedVersion, when given, is the indicator's version the writer saw:
/// if someone else wrote in between, the command is refused rather than silently applied.
/// KnownFrom is set only when importing figures from past documents (see MeasurementRecorded); such a
/// figure was published by its document already, so it is recorded as published. Any other is a draft
/// until a reviewer approves it. Period takes the forms people write (令和6年度, 2024年度 as well as FY2024; see
/// JapaneseInput); it is recorded in its canonical form. MunicipalityCode makes it a figure of one municipality.
/// </summary>
public sealed record RecordMeasurement(
    string IndicatorCode, string? Period, DateOnly? AsOf, decimal? Value, string? Source, string? Note,
    long? ExpectedVersion, string RecordedBy, DateTimeOffset? KnownFrom = null,
    string? MunicipalityCode = null, decimal? Numerator = null, decimal? Denominator = null)
{
    public Period? ParsedPeriod => JapaneseInput.TryPeriod(Period, out var period) ? period : null;
}

public static class RecordMeasurementEvents
{
    /// <summary>The event a valid command records (figures from past documents are recorded as published).</summary>
    public static MeasurementRecorded ToEvent(this RecordMeasurement command, Guid measurementId, DateTimeOffset now) => new(
        command.IndicatorCode, measurementId, command.ParsedPeriod!.Value,
        command.AsOf!.Value, command.Value!.Value, command.Source, command.Note, command.RecordedBy, now,
        command.KnownFrom ?? now, Published: command.KnownFrom is not null,
        command.MunicipalityCode, command.Numerator, command.Denominator);
}

public sealed record MeasurementAccepted(string IndicatorCode, Guid MeasurementId, long Version);

/// <summary>Body of POST /api/indicators/{code}/measurements.</summary>
public sealed record RecordMeasurementRequest(
    string? Period, DateOnly? AsOf, decimal? Value, string? Source, string? Note, long? ExpectedVersion,
    string? Municipality = null, decimal? Numerator = null, decimal? Denominator = null);

public sealed class RecordMeasurementValidator : AbstractValidator<RecordMeasurement>
{
    /// <param name="isMunicipality">Whether a code is one of the registered municipalities (none, when not given).</param>
    /// <remarks>One validator serves every figure of an indicator: imports of thousands of rows build it once.</remarks>
    public RecordMeasurementValidator(IndicatorProgress? indicator, DateOnly today, Func<string, bool>? isMunicipality = null)
    {
        RuleFor(c => c.IndicatorCode).MustBeAnIndicator(indicator);
        RuleFor(c => c.Period)
            .NotEmpty()
            .Must(p => JapaneseInput.TryPeriod(p, out _))
            .WithMessage(c => $"'{c.Period}' is not a period (accepted: {JapaneseInput.PeriodForms}).");
        When(c => c.MunicipalityCode is not null, () =>
        {
            RuleFor(c => c.MunicipalityCode)
                .Must(_ => indicator?.Breakdown is not null).When(_ => indicator is not null)
                .WithMessage(c => $"{c.IndicatorCode} is not recorded per municipality: leave the municipality out.")
                .Must(code => isMunicipality?.Invoke(code!) == true)
                .WithMessage(c => $"There is no municipality '{c.MunicipalityCode}' (a 6-digit code of one of Hokkaido's 179).");
        });
        RuleFor(c => c.Denominator).NotNull().When(c => c.Numerator is not null)
            .WithMessage("A rate's numerator needs its denominator too.");
        RuleFor(c => c.Numerator).NotNull().When(c => c.Denominator is not null)
            .WithMessage("A rate's denominator needs its numerator too.");
        RuleFor(c => c.Numerator).GreaterThanOrEqualTo(0).When(c => c.Numerator is not null);
        RuleFor(c => c.Denominator).GreaterThan(0).When(c => c.Denominator is not null);
        RuleFor(c => c.Numerator).Null().When(c => c.Numerator is not null && indicator is not null && indicator.Breakdown?.IsRate != true)
            .WithMessage(c => $"{c.IndicatorCode} is not a rate: it has no numerator and denominator.");
        RuleFor(c => c.AsOf)
            .NotNull()
            .MustBeASupportedDate()
            .LessThanOrEqualTo(today).WithMessage(c => $"The as-of date {c.AsOf:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd}).");
        RuleFor(c => c.AsOf)
            .Must((c, asOf) => asOf >= c.ParsedPeriod!.Value.Start)
            .When(c => c.AsOf is not null && c.ParsedPeriod is not null)
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
        var municipality = command.MunicipalityCode is { } code
            ? await session.LoadAsync<Municipalities.Registering.Municipality>(code) : null;
        var now = clock.GetUtcNow();
        await new RecordMeasurementValidator(stream.Aggregate, JapanTime.Today(now), _ => municipality is not null).ValidateAndThrowAsync(command);

        var recorded = command.ToEvent(Guid.CreateVersion7(now), now);
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
            request.ExpectedVersion, Caller.NameOf(http), MunicipalityCode: request.Municipality,
            Numerator: request.Numerator, Denominator: request.Denominator));
        return Results.Created($"/api/indicators/{code}", accepted);
    }
}
