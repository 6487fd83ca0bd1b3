namespace Society5Kpi.Components.Charts;

public sealed record ChartPoint(DateOnly AsOf, decimal Value);

/// <summary>
/// What an indicator's chart draws, already in the page's language: small, because it travels with the interactive
/// chart from the static page to its circuit.
/// </summary>
public sealed record IndicatorChartData(
    string Unit, ChartPoint? Baseline, IReadOnlyList<ChartPoint> Figures, IReadOnlyList<ChartPoint> Corrected, IReadOnlyList<ChartPoint> TargetPath,
    ChartPoint? Target, IReadOnlyList<ChartPoint> Forecast, IReadOnlyList<ChartPoint> ForecastLow, IReadOnlyList<ChartPoint> ForecastHigh,
    ChartLabels Labels);

public sealed record ChartLabels(string Baseline, string Figures, string Corrected, string TargetPath, string Target, string Forecast, string ForecastBand);
