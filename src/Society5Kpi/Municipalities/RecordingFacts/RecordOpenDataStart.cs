using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using FluentValidation;
using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Infrastructure;
using Society5Kpi.Municipalities.Registering;
using Wolverine.Http;

namespace Society5Kpi.Municipalities.RecordingFacts;

/// <summary>The municipality began publishing open data. Recorded again with another date, it corrects the start date.</summary>
public sealed record MunicipalityStartedOpenData(
    string Code, DateOnly StartedOn, string? PortalUrl, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record RecordOpenDataStart(string Code, DateOnly? StartedOn, string? PortalUrl, long? ExpectedVersion, string RecordedBy);

/// <summary>Body of POST /api/municipalities/{code}/open-data-start.</summary>
public sealed record RecordOpenDataStartRequest(DateOnly? StartedOn, string? PortalUrl, long? ExpectedVersion);

public sealed class RecordOpenDataStartValidator : AbstractValidator<RecordOpenDataStart>
{
    public RecordOpenDataStartValidator(Municipality? municipality, DateOnly today)
    {
        RuleFor(c => c.Code).MustBeAMunicipality(municipality);
        RuleFor(c => c.StartedOn).MustNotBeAfter(today);
        RuleFor(c => c.StartedOn)
            .Must(d => municipality?.OpenDataStartedOn != d)
            .When(c => c.StartedOn is not null)
            .WithMessage(c => $"{municipality!.Details.Name}'s open-data start on {c.StartedOn:yyyy-MM-dd} is already recorded.");
        RuleFor(c => c.PortalUrl)
            .MaximumLength(500)
            .Must(IsWebAddress)
            .When(c => !string.IsNullOrWhiteSpace(c.PortalUrl))
            .WithMessage(c => $"'{c.PortalUrl}' is not a web address (expected an absolute http:// or https:// URL).");
        RuleFor(c => c.RecordedBy).NotEmpty();
    }

    private static bool IsWebAddress(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

public static class RecordOpenDataStartHandler
{
    public static async Task<MunicipalityFactRecorded> Handle(RecordOpenDataStart command, IDocumentSession session, TimeProvider clock)
    {
        var stream = await MunicipalityStream.FetchAsync(session, command.Code, command.ExpectedVersion);
        var now = clock.GetUtcNow();
        await new RecordOpenDataStartValidator(stream.Aggregate, JapanTime.Today(now)).ValidateAndThrowAsync(command);
        // A blank portal address is "not given", not an address.
        var portal = string.IsNullOrWhiteSpace(command.PortalUrl) ? null : command.PortalUrl.Trim();
        stream.AppendOne(new MunicipalityStartedOpenData(command.Code, command.StartedOn!.Value, portal, command.RecordedBy, now));
        // CurrentVersion already counts the appended event.
        return new MunicipalityFactRecorded(command.Code, stream.CurrentVersion ?? 1);
    }
}

public static class RecordOpenDataStartEndpoint
{
    [Authorize(Policy = Policies.Enter)]
    [WolverinePost("/api/municipalities/{code}/open-data-start")]
    public static async Task<MunicipalityFactRecorded> Post(string code, Wolverine.IMessageBus bus, HttpContext http)
    {
        var request = await RequestBody.ReadAsync<RecordOpenDataStartRequest>(http.Request, http.RequestAborted);
        return await bus.InvokeAsync<MunicipalityFactRecorded>(new RecordOpenDataStart(
            code, request.StartedOn, request.PortalUrl, request.ExpectedVersion, Caller.NameOf(http)));
    }
}
