using FluentValidation;
using JasperFx.Events;
using Marten;
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
    public static async Task<IEventStream<Municipality>> FetchAsync(IDocumentSession session, string code, long? expectedVersion)
    {
        var stream = await session.Events.FetchForWriting<Municipality>(code);
        // ProblemMapping turns this into a 409: the writer decided on a version that is no longer the stored one.
        if (stream.Aggregate is not null && expectedVersion is { } expected && expected != stream.CurrentVersion)
            throw new JasperFx.ConcurrencyException(
                $"Municipality {code} was changed after you loaded it (you saw version {expected}, it is now {stream.CurrentVersion}). Reload and try again.");
        return stream;
    }

    public static IRuleBuilderOptions<T, string> MustBeAMunicipality<T>(this IRuleBuilder<T, string> rule, Municipality? municipality) =>
        rule.Must(_ => municipality is not null).WithMessage((_, code) => $"There is no municipality '{code}'.");

    /// <summary>Facts are dated in Japan time and cannot be ahead of today.</summary>
    public static IRuleBuilderOptions<T, DateOnly?> MustNotBeAfter<T>(this IRuleBuilder<T, DateOnly?> rule, DateOnly today) =>
        rule.NotNull().LessThanOrEqualTo(today)
            .WithMessage((_, day) => $"The date {day:yyyy-MM-dd} is in the future (today is {today:yyyy-MM-dd} in Japan).");
}
