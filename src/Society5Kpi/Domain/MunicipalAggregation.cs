namespace Society5Kpi.Domain;

/// <summary>One municipality's part of a rate on a date: the rate as published, and what it was computed from.</summary>
public sealed record RatePart(string MunicipalityCode, DateOnly AsOf, Period Period, decimal Value, decimal? Numerator, decimal? Denominator);

/// <summary>A prefecture-wide rate derived from the municipalities' parts on one date, with its inputs.</summary>
public sealed record DerivedRate(DateOnly AsOf, Period Period, decimal Value, decimal Numerator, decimal Denominator, int Municipalities);

/// <summary>
/// A date of the recorded prefecture figure beside what the municipalities' figures add up to. It agrees when the sums of
/// the parts equal the recorded parts (where the source gives them) and the derived rate, rounded as the recorded one is,
/// equals the recorded rate, with every municipality counted.
/// </summary>
public sealed record BreakdownCheckLine(
    DateOnly AsOf, Period Period, decimal RecordedValue, decimal? RecordedNumerator, decimal? RecordedDenominator,
    DerivedRate? Derived, bool Agrees, string? Problem);

/// <summary>How figures of single municipalities add up to Hokkaido's. Pure: no I/O.</summary>
public static class MunicipalAggregation
{
    /// <summary>A percentage is parts per hundred; any other rate is a plain ratio.</summary>
    public static decimal ScaleOf(string unit) => unit.Trim() == "%" ? 100m : 1m;

    /// <summary>
    /// The prefecture's rate on each date as Σnumerator / Σdenominator of the municipalities that have both parts, never the
    /// average of their rates (a village of 500 people would weigh as much as Sapporo). Rounded to the published rates' decimals.
    /// </summary>
    public static IReadOnlyList<DerivedRate> Derive(IEnumerable<RatePart> parts, decimal scale) =>
        parts.Where(p => p is { Numerator: not null, Denominator: > 0 })
            .GroupBy(p => p.AsOf)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var numerator = g.Sum(p => p.Numerator!.Value);
                var denominator = g.Sum(p => p.Denominator!.Value);
                var decimals = g.Max(p => Decimals(p.Value));
                return new DerivedRate(g.Key, g.First().Period, Math.Round(numerator / denominator * scale, decimals, MidpointRounding.AwayFromZero),
                    numerator, denominator, g.Select(p => p.MunicipalityCode).Distinct().Count());
            })
            .ToList();

    /// <summary>Each recorded date against the derived one; <paramref name="municipalities"/> is how many should be counted (179).</summary>
    public static IReadOnlyList<BreakdownCheckLine> Check(
        IEnumerable<(DateOnly AsOf, Period Period, decimal Value, decimal? Numerator, decimal? Denominator)> recorded,
        IReadOnlyList<DerivedRate> derived, int municipalities, decimal scale)
    {
        var byDate = derived.ToDictionary(d => d.AsOf);
        return recorded.OrderBy(r => r.AsOf).Select(r =>
        {
            var d = byDate.GetValueOrDefault(r.AsOf);
            var problem = d is null ? "no municipal figures on this date"
                : d.Municipalities != municipalities ? $"{d.Municipalities} of {municipalities} municipalities have a figure"
                : r.Numerator is { } n && n != d.Numerator ? $"the municipalities' numerators add up to {d.Numerator}, not {n}"
                : r.Denominator is { } den && den != d.Denominator ? $"the municipalities' denominators add up to {d.Denominator}, not {den}"
                : Rounded(d, scale, Decimals(r.Value)) != r.Value ? $"the municipalities' parts give {Rounded(d, scale, Decimals(r.Value))}, not {r.Value}"
                : null;
            return new BreakdownCheckLine(r.AsOf, r.Period, r.Value, r.Numerator, r.Denominator, d, problem is null, problem);
        }).ToList();
    }

    private static decimal Rounded(DerivedRate d, decimal scale, int decimals) =>
        Math.Round(d.Numerator / d.Denominator * scale, decimals, MidpointRounding.AwayFromZero);

    private static int Decimals(decimal value) => (decimal.GetBits(value)[3] >> 16) & 0xFF;
}
