using Microsoft.AspNetCore.Authorization;
using Society5Kpi.Accounts;
using FluentValidation;
using Marten;
using Society5Kpi.Infrastructure;
using Wolverine.Http;

namespace Society5Kpi.CouncilMeetings;

/// <summary>A council or working-group meeting: a date the dashboard can be shown "as of", as the members saw it then.</summary>
public sealed record CouncilMeetingAdded(DateOnly Date, string TitleJa, string TitleEn, string? Source, string AddedBy);

public sealed record AddCouncilMeeting(DateOnly? Date, string? TitleJa, string? TitleEn, string? Source, string AddedBy);

public sealed record CouncilMeeting
{
    public string Id { get; init; } = "";
    public DateOnly Date { get; init; }
    public string TitleJa { get; init; } = "";
    public string TitleEn { get; init; } = "";
    public string? Source { get; init; }

    public static string IdOf(DateOnly date) => $"meeting-{date:yyyy-MM-dd}";

    public static CouncilMeeting Create(CouncilMeetingAdded e) =>
        new() { Id = IdOf(e.Date), Date = e.Date, TitleJa = e.TitleJa, TitleEn = e.TitleEn, Source = e.Source };
}

public sealed class AddCouncilMeetingValidator : AbstractValidator<AddCouncilMeeting>
{
    public AddCouncilMeetingValidator()
    {
        RuleFor(c => c.Date).NotNull().MustBeASupportedDate();
        RuleFor(c => c.TitleJa).NotEmpty().MaximumLength(300);
        RuleFor(c => c.TitleEn).NotEmpty().MaximumLength(300);
    }
}

public static class AddCouncilMeetingHandler
{
    public static Task ValidateAsync(AddCouncilMeeting command, IValidator<AddCouncilMeeting> validator) =>
        validator.ValidateAndThrowAsync(command);

    /// <summary>One meeting per date: adding a date that is there already changes nothing.</summary>
    public static async Task<int> Handle(AddCouncilMeeting command, IDocumentSession session)
    {
        var date = command.Date!.Value;
        var stream = await session.Events.FetchForWriting<CouncilMeeting>(CouncilMeeting.IdOf(date));
        if (stream.Aggregate is not null) return 0;
        stream.AppendOne(new CouncilMeetingAdded(date, command.TitleJa!, command.TitleEn!, command.Source, command.AddedBy));
        return 1;
    }
}

public static class CouncilMeetingEndpoints
{
    [WolverineGet("/api/council-meetings")]
    public static Task<IReadOnlyList<CouncilMeeting>> Get(IQuerySession session, CancellationToken ct) =>
        session.Query<CouncilMeeting>().OrderBy(m => m.Date).ToListAsync(ct);

    [Authorize(Policy = Policies.Administer)]
    [WolverinePost("/api/council-meetings")]
    public static async Task<IResult> Post(Wolverine.IMessageBus bus, HttpContext http)
    {
        var request = await RequestBody.ReadAsync<AddCouncilMeeting>(http.Request, http.RequestAborted);
        await bus.InvokeAsync<int>(request with { AddedBy = Caller.NameOf(http) });
        return Results.Created("/api/council-meetings", null);
    }
}
