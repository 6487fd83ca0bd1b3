using FluentValidation;
using Marten;
using Society5Kpi.Infrastructure;
using Society5Kpi.Municipalities.RecordingFacts;

namespace Society5Kpi.Municipalities.Registering;

public enum MunicipalityKind { City, Town, Village }

public sealed record MunicipalityRegistered(
    string Code, string Name, string NameKana, string NameRomaji, MunicipalityKind Kind,
    string Subprefecture, string SubprefectureRomaji);

public sealed record MunicipalityDetailsRevised(MunicipalityRegistered Details, string Reason);

/// <summary>Register one of Hokkaido's 179 municipalities, or bring its registered details in line.</summary>
public sealed record RegisterMunicipality(
    string Code, string Name, string NameKana, string NameRomaji, MunicipalityKind Kind,
    string Subprefecture, string SubprefectureRomaji, string Reason)
{
    public MunicipalityRegistered Details() =>
        new(Code, Name, NameKana, NameRomaji, Kind, Subprefecture, SubprefectureRomaji);
}

public sealed class RegisterMunicipalityValidator : AbstractValidator<RegisterMunicipality>
{
    public RegisterMunicipalityValidator()
    {
        RuleFor(c => c.Code)
            .Must(LocalGovernmentCode.IsValidHokkaido)
            .WithMessage(c => $"'{c.Code}' is not a Hokkaido local government code (6 digits starting 01, with a valid check digit).");
        RuleFor(c => c.Name).NotEmpty();
        RuleFor(c => c.NameKana).NotEmpty();
        RuleFor(c => c.NameRomaji).NotEmpty();
        RuleFor(c => c.Kind).IsInEnum();
        RuleFor(c => c.Subprefecture).NotEmpty();
        RuleFor(c => c.Reason).NotEmpty();
    }
}

/// <summary>全国地方公共団体コード: five digits and a check digit (weights 6,5,4,3,2; (11 - sum mod 11) mod 10).</summary>
public static class LocalGovernmentCode
{
    public static bool IsValidHokkaido(string? code) =>
        code is { Length: 6 } && code.StartsWith("01") && code.All(char.IsAsciiDigit) && CheckDigit(code[..5]) == code[5] - '0';

    public static int CheckDigit(string firstFive)
    {
        var sum = 0;
        for (var i = 0; i < 5; i++) sum += (firstFive[i] - '0') * (6 - i);
        return (11 - sum % 11) % 10;
    }
}

/// <summary>A municipality and the facts recorded about it.</summary>
public sealed record Municipality
{
    public string Id { get; init; } = "";
    public long Version { get; init; }
    public MunicipalityRegistered Details { get; init; } = null!;
    public DateOnly? OpenDataStartedOn { get; init; }
    public string? OpenDataPortalUrl { get; init; }
    public DataLinkagePlatformReport? DataLinkagePlatform { get; init; }

    public static Municipality Create(MunicipalityRegistered e) => new() { Id = e.Code, Details = e };

    public Municipality Apply(MunicipalityDetailsRevised e) => this with { Details = e.Details };

    // The latest record wins: a second start date is a correction of the first.
    public Municipality Apply(MunicipalityStartedOpenData e) => this with { OpenDataStartedOn = e.StartedOn, OpenDataPortalUrl = e.PortalUrl };

    public Municipality Apply(MunicipalityDataLinkagePlatformReported e) => this with { DataLinkagePlatform = new(e.State, e.AsOf) };
}

public static class RegisterMunicipalityHandler
{
    public static Task ValidateAsync(RegisterMunicipality command, IValidator<RegisterMunicipality> validator) =>
        validator.ValidateAndThrowAsync(command);

    public static async Task<int> Handle(RegisterMunicipality command, IDocumentSession session)
    {
        var stream = await session.Events.FetchForWriting<Municipality>(command.Code);
        var details = command.Details();
        return stream.BringInLine(details, m => m.Details == details, () => new MunicipalityDetailsRevised(details, command.Reason));
    }
}
