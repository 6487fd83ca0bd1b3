using FluentValidation;
using JasperFx.Events;
using Marten;
using Society5Kpi.Infrastructure;
using Society5Kpi.Municipalities.Registering;

namespace Society5Kpi.Municipalities.RecordingFacts;

public enum DataLinkagePlatformState { Planned, Built }

/// <summary>The municipality's data-linkage platform (データ連携基盤) as last reported.</summary>
public sealed record DataLinkagePlatformReport(DataLinkagePlatformState State, DateOnly AsOf);

/// <summary>What a fact command returns: the municipality's stream version after it, for the next expectedVersion.</summary>
public sealed record MunicipalityFactRecorded(string Code, long Version);

/// <summary>How every fact command opens a municipality's stream: for writing, with the writer's expected version checked.</summary>
public static class MunicipalityStream
{
    public static Task<IEventStream<Municipality>> FetchAsync(IDocumentSession session, string code, long? expectedVersion) =>
        session.FetchForWritingAsync<Municipality>(code, expectedVersion, $"Municipality {code}");

    public static IRuleBuilderOptions<T, string> MustBeAMunicipality<T>(this IRuleBuilder<T, string> rule, Municipality? municipality) =>
        rule.Must(_ => municipality is not null).WithMessage((_, code) => $"There is no municipality '{code}'.");

    /// <summary>Facts are dated in Japan time and cannot be ahead of today.</summary>
    public static IRuleBuilderOptions<T, DateOnly?> MustNotBeAfter<T>(this IRuleBuilder<T, DateOnly?> rule, DateOnly today) =>
        rule.NotNull().MustBeASupportedDate().LessThanOrEqualTo(today)
            .WithMessage((_, day) => $"The date {day:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd} in Japan).");
}
