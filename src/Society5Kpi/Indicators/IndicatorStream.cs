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
    /// Opens the indicator's stream for writing and finds the figures a command works on: the indicator's own, or
    /// with <paramref name="municipalityCode"/> that municipality's (its breakdown, whose events share the stream).
    /// </summary>
    public static async Task<(IEventStream<IndicatorProgress> Stream, IFigureStream? Figures)> FetchFiguresAsync(
        IDocumentSession session, string code, string? municipalityCode, long? expectedVersion)
    {
        var stream = await FetchAsync(session, code, expectedVersion);
        if (municipalityCode is null || stream.Aggregate is null) return (stream, stream.Aggregate);
        var figures = await session.LoadAsync<Municipalities.Figures.MunicipalFigures>(Municipalities.Figures.MunicipalFigures.IdOf(code, municipalityCode));
        return (stream, figures ?? Municipalities.Figures.MunicipalFigures.Empty(code, municipalityCode));
    }

    /// <summary>The rule every indicator command starts with: the indicator must exist.</summary>
    public static IRuleBuilderOptions<T, string> MustBeAnIndicator<T>(this IRuleBuilder<T, string> rule, IndicatorProgress? indicator) =>
        rule.Must(_ => indicator is not null).WithMessage((_, code) => $"There is no indicator '{code}'.");
}
