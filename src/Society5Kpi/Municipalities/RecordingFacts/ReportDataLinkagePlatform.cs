using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using FluentValidation;
using Marten;
using Society5Kpi.Domain;
using Society5Kpi.Infrastructure;
using Society5Kpi.Municipalities.Registering;
using Wolverine.Http;

namespace Society5Kpi.Municipalities.RecordingFacts;

/// <summary>Where the municipality's data-linkage platform stood on a date. The latest report replaces earlier ones.</summary>
public sealed record MunicipalityDataLinkagePlatformReported(
    string Code, DataLinkagePlatformState State, DateOnly AsOf, string? Note, string RecordedBy, DateTimeOffset RecordedAt);

public sealed record ReportDataLinkagePlatform(
    string Code, DataLinkagePlatformState? State, DateOnly? AsOf, string? Note, long? ExpectedVersion, string RecordedBy);

/// <summary>Body of POST /api/municipalities/{code}/data-linkage-platform.</summary>
public sealed record ReportDataLinkagePlatformRequest(DataLinkagePlatformState? State, DateOnly? AsOf, string? Note, long? ExpectedVersion);

public sealed class ReportDataLinkagePlatformValidator : AbstractValidator<ReportDataLinkagePlatform>
{
    public ReportDataLinkagePlatformValidator(Municipality? municipality, DateOnly today)
    {
        RuleFor(c => c.Code).MustBeAMunicipality(municipality);
        RuleFor(c => c.State).NotNull().IsInEnum();
        RuleFor(c => c.AsOf).MustNotBeAfter(today);
        RuleFor(c => c.Note).MaximumLength(2000);
        RuleFor(c => c.RecordedBy).NotEmpty();
    }
}

public static class ReportDataLinkagePlatformHandler
{
    public static async Task<MunicipalityFactRecorded> Handle(ReportDataLinkagePlatform command, IDocumentSession session, TimeProvider clock)
    {
        var stream = await MunicipalityStream.FetchAsync(session, command.Code, command.ExpectedVersion);
        var now = clock.GetUtcNow();
        await new ReportDataLinkagePlatformValidator(stream.Aggregate, JapanTime.Today(now)).ValidateAndThrowAsync(command);
        stream.AppendOne(new MunicipalityDataLinkagePlatformReported(
            command.Code, command.State!.Value, command.AsOf!.Value, command.Note, command.RecordedBy, now));
        return new MunicipalityFactRecorded(command.Code, stream.CurrentVersion ?? 1);
    }
}

public static class ReportDataLinkagePlatformEndpoint
{
    [Authorize(Policy = Policies.Enter)]
    [WolverinePost("/api/municipalities/{code}/data-linkage-platform")]
    public static async Task<MunicipalityFactRecorded> Post(string code, Wolverine.IMessageBus bus, HttpContext http)
    {
        var request = await RequestBody.ReadAsync<ReportDataLinkagePlatformRequest>(http.Request, http.RequestAborted);
        return await bus.InvokeAsync<MunicipalityFactRecorded>(new ReportDataLinkagePlatform(
            code, request.State, request.AsOf, request.Note, request.ExpectedVersion, Caller.NameOf(http)));
    }
}
