namespace Society5Kpi.Components.Map;

/// <summary>
/// Colours for the municipality map. The sequential scale is ColorBrewer Blues (colour-blind safe, and it still
/// reads in greyscale); its palest step is left out so that the lowest municipalities stand out from the page.
/// </summary>
public static class MapColours
{
    public static IReadOnlyList<string> Steps { get; } = ["#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594"];

    /// <summary>The fill for a municipality with no figure; the map also hatches it.</summary>
    public const string NoFigure = "#d9d9d9";

    /// <summary>Okabe–Ito, for categories such as "open data started: yes / no" (pass one as MapValue.Colour).</summary>
    public static IReadOnlyList<string> Categories { get; } = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442"];

    public const string Yes = "#0072b2";
    public const string No = "#e69f00";

    /// <summary>
    /// The step for a value on equal intervals from min to max (values outside are clamped). When min equals max
    /// every value gets the middle step, since there is nothing to tell apart.
    /// </summary>
    public static string Sequential(decimal? value, decimal min, decimal max) =>
        value is { } v ? Steps[Step(v, min, max)] : NoFigure;

    public static int Step(decimal value, decimal min, decimal max)
    {
        if (max <= min) return Steps.Count / 2;
        var share = (value - min) / (max - min);
        return (int)Math.Clamp(Math.Floor(share * Steps.Count), 0, Steps.Count - 1);
    }

    /// <summary>The lower bound of a step, for the legend.</summary>
    public static decimal StepFrom(int step, decimal min, decimal max) => min + (max - min) * step / Steps.Count;
}
