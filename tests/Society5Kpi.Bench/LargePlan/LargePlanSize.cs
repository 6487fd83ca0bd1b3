namespace Society5Kpi.Bench.LargePlan;

/// <summary>
/// How big a generated plan is. <see cref="Japan"/> is the plan at the scale of the whole country: 1,741
/// municipalities, 100 indicators each recorded per municipality, quarterly for 10 years (about 7 million events).
/// </summary>
/// <param name="Indicators">Indicators, each with a municipal breakdown.</param>
/// <param name="Municipalities">Municipalities registered, each with a figure for every indicator and quarter.</param>
/// <param name="Quarters">Fiscal quarters of figures, the last ending FY2025Q4.</param>
/// <param name="DerivedEvery">Every n-th indicator's prefecture figure is derived from its municipalities' (Σnumerator / Σdenominator); the others record it from a source.</param>
public sealed record LargePlanSize(int Indicators, int Municipalities, int Quarters, int DerivedEvery)
{
    public const int MunicipalitiesOfJapan = 1741;

    public static LargePlanSize Japan { get; } = new(100, MunicipalitiesOfJapan, 40, 10);

    /// <summary>Japan with its municipalities scaled by <paramref name="factor"/> (1.0: 1,741; above 1, more synthetic ones).</summary>
    public static LargePlanSize Scaled(double factor) =>
        Japan with { Municipalities = Math.Max(1, (int)Math.Round(MunicipalitiesOfJapan * factor)) };

    /// <summary>The Japan-shaped plan (same indicators and quarters) whose event count is nearest <paramref name="events"/>.</summary>
    public static LargePlanSize ForEvents(long events)
    {
        var fixedEvents = Japan.Events - (long)Japan.Indicators * Japan.Quarters * Japan.Municipalities - Japan.Municipalities;
        var perMunicipality = (long)Japan.Indicators * Japan.Quarters + 1;
        return Japan with { Municipalities = (int)Math.Max(1, Math.Round((events - fixedEvents) / (double)perMunicipality)) };
    }

    /// <summary>
    /// Every municipality of Japan with one indicator and as many quarters as come nearest <paramref name="events"/>: the
    /// answers that list every municipality (indicator page, map, breakdown) are as long as the large plan's, so
    /// comparing the two compares the events behind an answer, not its length.
    /// </summary>
    public static LargePlanSize AllMunicipalitiesForEvents(long events)
    {
        var fixedEvents = Japan.Municipalities + 3L;
        var perQuarter = Japan.Municipalities + 1L;
        var quarters = (int)Math.Clamp(Math.Round((events - fixedEvents) / (double)perQuarter), 1, Japan.Quarters);
        return Japan with { Indicators = 1, Quarters = quarters };
    }

    public int DerivedIndicators => Indicators / DerivedEvery;

    /// <summary>Events in the indicator's stream: definition, baseline, target, a prefecture figure per quarter (unless derived), a figure per municipality and quarter.</summary>
    public long EventsOfIndicator(int index) => 3 + (IsDerived(index) ? 0 : Quarters) + (long)Quarters * Municipalities;

    public bool IsDerived(int index) => (index + 1) % DerivedEvery == 0;

    public long Events => Municipalities + Enumerable.Range(0, Indicators).Sum(EventsOfIndicator);

    public override string ToString() =>
        $"{Indicators} indicators × {Municipalities:N0} municipalities × {Quarters} quarters ({Events:N0} events)";
}
