using FluentValidation;
using Marten;
using Society5Kpi.Infrastructure;
using JasperFx.Events;

namespace Society5Kpi.Indicators;

/// <summary>How every command on an indicator opens its stream: for writing, with the writer's expected version checked.</summary>
public static class IndicatorStream
{
    /// <summary>Opens the indicator's stream for writing, with the writer's expected version checked.</summary>
    public static Task<IEventStream<IndicatorProgress>> FetchAsync(IDocumentSession session, string code, long? expectedVersion) =>
        session.FetchForWritingAsync<IndicatorProgress>(code, expectedVersion, $"Indicator {code}", i => (i.LastChangedBy, i.LastChangedAt));

    /// <summary>
    /// Opens the indicator's stream for writing and finds the figure a command works on: the indicator's own, or with
    /// <paramref name="municipalityCode"/> that municipality's (its breakdown, whose events share the stream). One key
    /// lookup of the figure's document, however many figures the indicator holds.
    /// </summary>
    public static async Task<(IEventStream<IndicatorProgress> Stream, MeasurementEntry? Figure)> FetchFigureAsync(
        IDocumentSession session, string code, string? municipalityCode, Guid measurementId, long? expectedVersion)
    {
        var stream = await FetchAsync(session, code, expectedVersion);
        return (stream, stream.Aggregate is null ? null : await RecordedFigure.FindAsync(session, code, municipalityCode, measurementId));
    }

    /// <summary>The rule every indicator command starts with: the indicator must exist.</summary>
    public static IRuleBuilderOptions<T, string> MustBeAnIndicator<T>(this IRuleBuilder<T, string> rule, IndicatorProgress? indicator) =>
        rule.Must(_ => indicator is not null).WithMessage((_, code) => $"There is no indicator '{code}'.");
}
