using FluentValidation;
using Marten;
using JasperFx.Events;

namespace Society5Kpi.Indicators;

/// <summary>How every command on an indicator opens its stream: for writing, with the writer's expected version checked.</summary>
public static class IndicatorStream
{
    /// <summary>
    /// Opens the stream for writing (the append is checked against the version read here) and refuses the
    /// command if the writer saw another version than the one stored.
    /// </summary>
    public static async Task<IEventStream<IndicatorProgress>> FetchAsync(IDocumentSession session, string code, long? expectedVersion)
    {
        var stream = await session.Events.FetchForWriting<IndicatorProgress>(code);
        if (stream.Aggregate is not null && expectedVersion is { } expected && expected != stream.CurrentVersion)
            throw new IndicatorChangedException(code, expected, stream.CurrentVersion ?? 0, stream.Aggregate.LastChangedBy, stream.Aggregate.LastChangedAt);
        return stream;
    }

    /// <summary>The rule every indicator command starts with: the indicator must exist.</summary>
    public static IRuleBuilderOptions<T, string> MustBeAnIndicator<T>(this IRuleBuilder<T, string> rule, IndicatorProgress? indicator) =>
        rule.Must(_ => indicator is not null).WithMessage((_, code) => $"There is no indicator '{code}'.");
}
