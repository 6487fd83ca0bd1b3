using System.Globalization;

namespace Society5Kpi.Embeds;

public enum WidgetTheme { Light, Dark }

public enum WidgetSize { Small, Medium, Large }

/// <summary>
/// How a host page wants a widget: ?lang=ja|en, ?theme=light|dark, ?size=small|medium|large, ?sparkline=0|1.
/// Anything unknown or malformed falls back to the default: a widget on someone else's page never shows an error.
/// </summary>
public sealed record WidgetOptions(string Lang, WidgetTheme Theme, WidgetSize Size, bool Sparkline)
{
    public static readonly WidgetOptions Default = new("ja", WidgetTheme.Light, WidgetSize.Medium, true);

    public static WidgetOptions From(IQueryCollection query) => new(
        query["lang"].ToString().ToLowerInvariant() is "en" ? "en" : "ja",
        Enum.TryParse<WidgetTheme>(query["theme"], ignoreCase: true, out var theme) && Enum.IsDefined(theme) ? theme : Default.Theme,
        Enum.TryParse<WidgetSize>(query["size"], ignoreCase: true, out var size) && Enum.IsDefined(size) && !int.TryParse(query["size"], out _) ? size : Default.Size,
        query["sparkline"].ToString() is not "0" and not "false");

    public CultureInfo Culture => Lang == "en" ? new CultureInfo("en") : new CultureInfo("ja-JP");

    public (int Width, int Height) Box(bool withSparkline) => Size switch
    {
        WidgetSize.Small => (280, withSparkline ? 150 : 120),
        WidgetSize.Large => (480, withSparkline ? 230 : 180),
        _ => (360, withSparkline ? 180 : 140)
    };

    /// <summary>The query that gives these options again, for links and snippets (defaults left out).</summary>
    public string Query()
    {
        var parts = new List<string>();
        if (Lang != Default.Lang) parts.Add($"lang={Lang}");
        if (Theme != Default.Theme) parts.Add($"theme={Theme.ToString().ToLowerInvariant()}");
        if (Size != Default.Size) parts.Add($"size={Size.ToString().ToLowerInvariant()}");
        if (Sparkline != Default.Sparkline) parts.Add("sparkline=0");
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}
