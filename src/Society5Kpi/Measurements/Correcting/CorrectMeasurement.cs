using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using FluentValidation;
using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Infrastructure;
using Wolverine.Http;

namespace Society5Kpi.Measurements.Correcting;

/// <summary>A recorded figure replaced by a corrected value. The earlier value stays in the stream.</summary>
public sealed record MeasurementCorrected(
    string IndicatorCode, Guid MeasurementId, decimal PreviousValue, decimal Value, string Reason,
    string CorrectedBy, DateTimeOffset CorrectedAt, string? MunicipalityCode = null,
    decimal? Numerator = null, decimal? Denominator = null) : IFigureEvent;

/// <summary>A recorded figure withdrawn (entered for the wrong indicator, or a duplicate).</summary>
public sealed record MeasurementRetracted(
    string IndicatorCode, Guid MeasurementId, decimal PreviousValue, string Reason,
    string RetractedBy, DateTimeOffset RetractedAt, string? MunicipalityCode = null) : IFigureEvent;

/// <summary>A new value for a recorded figure (MunicipalityCode: a municipality's figure), with the reason; for a rate, its parts too.</summary>
public sealed record CorrectMeasurement(
    string IndicatorCode, Guid MeasurementId, decimal? Value, string? Reason, long? ExpectedVersion, string CorrectedBy,
    string? MunicipalityCode = null, decimal? Numerator = null, decimal? Denominator = null) : IFigureCommand;

public sealed record RetractMeasurement(
    string IndicatorCode, Guid MeasurementId, string? Reason, long? ExpectedVersion, string RetractedBy, string? MunicipalityCode = null) : IFigureCommand;

/// <summary>A command on one recorded figure: of an indicator, or with MunicipalityCode of one of its municipalities.</summary>
public interface IFigureCommand
{
    string IndicatorCode { get; }
    string? MunicipalityCode { get; }
}

public sealed record MeasurementChanged(string IndicatorCode, Guid MeasurementId, long Version);

public sealed record CorrectMeasurementRequest(
    decimal? Value, string? Reason, long? ExpectedVersion, string? Municipality = null, decimal? Numerator = null, decimal? Denominator = null);

public sealed record RetractMeasurementRequest(string? Reason, long? ExpectedVersion, string? Municipality = null);

public sealed class CorrectMeasurementValidator : AbstractValidator<CorrectMeasurement>
{
    /// <param name="figure">The figure the command names, if it is one of the indicator's (or the municipality's).</param>
    public CorrectMeasurementValidator(IndicatorProgress? indicator, MeasurementEntry? figure)
    {
        RuleFor(c => c.IndicatorCode).MustBeAnIndicator(indicator);
        RuleFor(c => c.MeasurementId).MustBeAMeasurementOf(indicator, figure);
        RuleFor(c => c.Reason).NotEmpty().WithMessage("A correction needs a reason.").MaximumLength(2000);
        RuleFor(c => c.Value).NotNull();
        RuleFor(c => c.Value)
            .Must(v => MeasureUnit.ProblemWith(v!.Value, indicator!.Unit) is null)
            .When(c => c.Value is not null && indicator is not null)
            .WithMessage(c => $"The value {c.Value} {MeasureUnit.ProblemWith(c.Value!.Value, indicator!.Unit)}.");
        RuleFor(c => c.Value)
            .Must((c, v) => figure is { } m &&
                            (m.Value != v || (c.Numerator ?? m.Numerator) != m.Numerator || (c.Denominator ?? m.Denominator) != m.Denominator))
            .When(c => c.Value is not null && figure is not null)
            .WithMessage(c => $"The figure is already {c.Value}: nothing to correct.");
        RuleFor(c => c.Numerator).GreaterThanOrEqualTo(0).When(c => c.Numerator is not null);
        RuleFor(c => c.Denominator).GreaterThan(0).When(c => c.Denominator is not null);
    }
}

public sealed class RetractMeasurementValidator : AbstractValidator<RetractMeasurement>
{
    public RetractMeasurementValidator(IndicatorProgress? indicator, MeasurementEntry? figure)
    {
        RuleFor(c => c.IndicatorCode).MustBeAnIndicator(indicator);
        RuleFor(c => c.MeasurementId).MustBeAMeasurementOf(indicator, figure);
        RuleFor(c => c.Reason).NotEmpty().WithMessage("A retraction needs a reason.").MaximumLength(2000);
    }
}

internal static class MeasurementRules
{
    /// <summary>The figure must be one of the indicator's (or the municipality's); an unknown indicator is reported on its own.</summary>
    public static IRuleBuilderOptions<T, Guid> MustBeAMeasurementOf<T>(this IRuleBuilder<T, Guid> rule, IndicatorProgress? indicator,
        MeasurementEntry? figure) where T : IFigureCommand =>
        rule.Must(_ => indicator is null || figure is not null)
            .WithMessage((c, id) => $"There is no figure {id} of {(c.MunicipalityCode is { } m ? Municipalities.Figures.MunicipalFigures.IdOf(c.IndicatorCode, m) : c.IndicatorCode)} (it may have been retracted).");
}

public static class CorrectMeasurementHandler
{
    public static async Task<MeasurementChanged> Handle(CorrectMeasurement command, IDocumentSession session, TimeProvider clock)
    {
        var (stream, previous) = await IndicatorStream.FetchFigureAsync(session, command.IndicatorCode, command.MunicipalityCode,
            command.MeasurementId, command.ExpectedVersion);
        await new CorrectMeasurementValidator(stream.Aggregate, previous).ValidateAndThrowAsync(command);
        stream.AppendOne(new MeasurementCorrected(command.IndicatorCode, command.MeasurementId, previous!.Value,
            command.Value!.Value, command.Reason!, command.CorrectedBy, clock.GetUtcNow(), command.MunicipalityCode,
            command.Numerator, command.Denominator));
        return new MeasurementChanged(command.IndicatorCode, command.MeasurementId, stream.CurrentVersion ?? 0);
    }
}

public static class RetractMeasurementHandler
{
    public static async Task<MeasurementChanged> Handle(RetractMeasurement command, IDocumentSession session, TimeProvider clock)
    {
        var (stream, previous) = await IndicatorStream.FetchFigureAsync(session, command.IndicatorCode, command.MunicipalityCode,
            command.MeasurementId, command.ExpectedVersion);
        await new RetractMeasurementValidator(stream.Aggregate, previous).ValidateAndThrowAsync(command);
        stream.AppendOne(new MeasurementRetracted(command.IndicatorCode, command.MeasurementId, previous!.Value,
            command.Reason!, command.RetractedBy, clock.GetUtcNow(), command.MunicipalityCode));
        return new MeasurementChanged(command.IndicatorCode, command.MeasurementId, stream.CurrentVersion ?? 0);
    }
}

public static class CorrectMeasurementEndpoints
{
    [Authorize(Policy = Policies.Enter)]
    [WolverinePost("/api/indicators/{code}/measurements/{measurementId}/corrections")]
    public static async Task<MeasurementChanged> Correct(string code, Guid measurementId, Wolverine.IMessageBus bus, HttpContext http)
    {
        var request = await RequestBody.ReadAsync<CorrectMeasurementRequest>(http.Request, http.RequestAborted);
        return await bus.InvokeAsync<MeasurementChanged>(new CorrectMeasurement(
            code, measurementId, request.Value, request.Reason, request.ExpectedVersion, Caller.NameOf(http),
            request.Municipality, request.Numerator, request.Denominator));
    }

    [Authorize(Policy = Policies.Enter)]
    [WolverinePost("/api/indicators/{code}/measurements/{measurementId}/retractions")]
    public static async Task<MeasurementChanged> Retract(string code, Guid measurementId, Wolverine.IMessageBus bus, HttpContext http)
    {
        var request = await RequestBody.ReadAsync<RetractMeasurementRequest>(http.Request, http.RequestAborted);
        return await bus.InvokeAsync<MeasurementChanged>(new RetractMeasurement(
            code, measurementId, request.Reason, request.ExpectedVersion, Caller.NameOf(http), request.Municipality));
    }
}
