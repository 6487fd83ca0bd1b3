using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using Society5Kpi.Indicators;
using Society5Kpi.Infrastructure;
using Society5Kpi.Measurements.Correcting;
using Wolverine.Http;

namespace Society5Kpi.Measurements.Reviewing;

public sealed record MeasurementSubmittedForReview(
    string IndicatorCode, Guid MeasurementId, string SubmittedBy, DateTimeOffset SubmittedAt, string? MunicipalityCode = null) : IFigureEvent;

/// <summary>A figure checked and published. Value is the value approved (the entry's current value).</summary>
/// <param name="Approved">
/// The figure as approved (its entry with this approval applied): the indicator's document keeps only published figures,
/// so it takes a draft's period, as-of and source from here. Null in approvals stored before it was added.
/// </param>
public sealed record MeasurementApproved(
    string IndicatorCode, Guid MeasurementId, decimal Value, string ApprovedBy, DateTimeOffset ApprovedAt, string? MunicipalityCode = null,
    MeasurementEntry? Approved = null) : IFigureEvent;

public sealed record MeasurementSentBack(
    string IndicatorCode, Guid MeasurementId, string Comment, string SentBackBy, DateTimeOffset SentBackAt, string? MunicipalityCode = null) : IFigureEvent;

public enum ReviewStep { Submit, Approve, SendBack }

/// <summary>A step of the check: the editor submits, a second person approves or sends it back with a comment.</summary>
public sealed record ReviewMeasurement(
    string IndicatorCode, Guid MeasurementId, ReviewStep Step, string? Comment, long? ExpectedVersion, string By,
    string? MunicipalityCode = null) : IFigureCommand;

public sealed record ReviewRequest(string? Comment, long? ExpectedVersion, string? Municipality = null);

public sealed class ReviewMeasurementValidator : AbstractValidator<ReviewMeasurement>
{
    /// <param name="figure">The figure the command names, if it is one of the indicator's (or the municipality's).</param>
    public ReviewMeasurementValidator(IndicatorProgress? indicator, MeasurementEntry? figure)
    {
        RuleFor(c => c.IndicatorCode).MustBeAnIndicator(indicator);
        RuleFor(c => c.MeasurementId).MustBeAMeasurementOf(indicator, figure);
        When(_ => figure is not null, () =>
        {
            RuleFor(c => c.Step)
                .Must((c, step) => Allowed(figure!.Review, step))
                .WithName("measurementId")
                .WithMessage(c => $"The figure is {figure!.Review}: it cannot be {Verb(c.Step)} now.");
            // The check needs a second person: whoever entered or last corrected the value cannot approve it.
            RuleFor(c => c.By)
                .Must((c, by) => by != figure!.LastEditedBy && by != figure!.RecordedBy)
                .When(c => c.Step == ReviewStep.Approve)
                .WithMessage("You entered or corrected this figure; another reviewer must approve it.");
        });
        RuleFor(c => c.Comment).NotEmpty().When(c => c.Step == ReviewStep.SendBack)
            .WithMessage("Say what is wrong when sending a figure back.");
        RuleFor(c => c.Comment).MaximumLength(2000);
    }

    private static bool Allowed(ReviewState state, ReviewStep step) => step switch
    {
        ReviewStep.Submit => state is ReviewState.Draft or ReviewState.SentBack,
        _ => state == ReviewState.Submitted
    };

    private static string Verb(ReviewStep step) => step switch
    {
        ReviewStep.Submit => "submitted",
        ReviewStep.Approve => "approved",
        _ => "sent back"
    };
}

public static class ReviewMeasurementHandler
{
    public static async Task<MeasurementChanged> Handle(ReviewMeasurement command, IDocumentSession session, TimeProvider clock)
    {
        var (stream, entry) = await IndicatorStream.FetchFigureAsync(session, command.IndicatorCode, command.MunicipalityCode,
            command.MeasurementId, command.ExpectedVersion);
        await new ReviewMeasurementValidator(stream.Aggregate, entry).ValidateAndThrowAsync(command);
        var now = clock.GetUtcNow();
        var (code, id, municipality) = (command.IndicatorCode, command.MeasurementId, command.MunicipalityCode);
        stream.AppendOne(command.Step switch
        {
            ReviewStep.Submit => new MeasurementSubmittedForReview(code, id, command.By, now, municipality),
            ReviewStep.Approve => Approval(code, id, entry!, command.By, now, municipality),
            _ => (object)new MeasurementSentBack(code, id, command.Comment!, command.By, now, municipality)
        });
        return new MeasurementChanged(command.IndicatorCode, command.MeasurementId, stream.CurrentVersion ?? 0);
    }

    private static MeasurementApproved Approval(string code, Guid id, MeasurementEntry entry, string by, DateTimeOffset now, string? municipality)
    {
        var approval = new MeasurementApproved(code, id, entry.Value, by, now, municipality);
        return approval with { Approved = entry.Apply(approval) };
    }
}

public static class ReviewMeasurementEndpoints
{
    private const string Route = "/api/indicators/{code}/measurements/{measurementId}";

    [Authorize(Policy = Policies.Enter)]
    [WolverinePost(Route + "/submission")]
    public static Task<MeasurementChanged> Submit(string code, Guid measurementId, Wolverine.IMessageBus bus, HttpContext http) =>
        Review(code, measurementId, ReviewStep.Submit, bus, http);

    [Authorize(Policy = Policies.Review)]
    [WolverinePost(Route + "/approval")]
    public static Task<MeasurementChanged> Approve(string code, Guid measurementId, Wolverine.IMessageBus bus, HttpContext http) =>
        Review(code, measurementId, ReviewStep.Approve, bus, http);

    [Authorize(Policy = Policies.Review)]
    [WolverinePost(Route + "/sending-back")]
    public static Task<MeasurementChanged> SendBack(string code, Guid measurementId, Wolverine.IMessageBus bus, HttpContext http) =>
        Review(code, measurementId, ReviewStep.SendBack, bus, http);

    private static async Task<MeasurementChanged> Review(string code, Guid measurementId, ReviewStep step, Wolverine.IMessageBus bus, HttpContext http)
    {
        var request = await RequestBody.ReadAsync<ReviewRequest>(http.Request, http.RequestAborted);
        return await bus.InvokeAsync<MeasurementChanged>(
            new ReviewMeasurement(code, measurementId, step, request.Comment, request.ExpectedVersion, Caller.NameOf(http), request.Municipality));
    }
}
