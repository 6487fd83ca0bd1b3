using System.Globalization;
using System.Text;
using Society5Kpi.Components;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;
using Society5Kpi.Summaries;
using static System.Net.WebUtility;

namespace Society5Kpi.Embeds;

/// <summary>
/// The embeddable widgets, written by hand as small HTML and SVG: no Blazor circuit, no plotly.js, nothing fetched from
/// elsewhere, a few kilobytes. Every text that comes from users (names, sources, notes) is escaped. Pure functions of
/// the public view, so the same figures always give the same bytes (and the same ETag).
/// </summary>
public static class Widgets
{
    /// <summary>What a widget of an indicator says, in the page's language (set Ui's culture first).</summary>
    private sealed record IndicatorText(string Title, string Value, string? Target, string? Share, decimal? ShareValue,
        string Status, string StatusColour, string? AsOf, string Link, string? Source, IReadOnlyList<PublishedFigure> Points);

    private static IndicatorText TextOf(PublishedIndicator i, string site)
    {
        var status = i.Status ?? Status.NoDataYet;
        return new IndicatorText(
            $"{i.Id} {Ui.Name(i)}",
            i.Latest is { } l ? Ui.Figure(l.Value, i)
                : i.Measure == Measure.Qualitative ? Ui.T($"事例・到達点 {i.Milestones.Count}件", $"{i.Milestones.Count} milestones") : "—",
            i.Target?.Value is { } t ? Ui.T($"目標 {Ui.TargetFigure(t, i)}（{Ui.PeriodShort(i.Target.Period)}）", $"Target {Ui.TargetFigure(t, i)} ({Ui.PeriodShort(i.Target.Period)})") : null,
            i.Progress is { } p ? Ui.T($"基準値から目標まで {Ui.Number(Math.Round(p.Share * 100, 1))}%", $"{Ui.Number(Math.Round(p.Share * 100, 1))}% of the way to target") : null,
            i.Progress?.Share,
            Ui.Status(status), Ui.StatusColour(status),
            i.Latest is { } latest ? Ui.T($"{latest.AsOf:yyyy-MM-dd} 時点", $"as of {latest.AsOf:yyyy-MM-dd}") : null,
            $"{site}/indicators/{i.Id}",
            i.Latest?.Source,
            i.Figures.OrderBy(f => f.AsOf).TakeLast(24).ToList());
    }

    private static (string Background, string Text, string Muted, string Track) Colours(WidgetTheme theme) => theme == WidgetTheme.Dark
        ? ("#1d2733", "#f6f8fa", "#c9d1da", "#3b4652")
        : ("#ffffff", "#1d2733", "#4b5663", "#dde3ea");

    /// <summary>The iframe page of an indicator: it tells its host page its height, so the frame never scrolls.</summary>
    public static string IndicatorPage(PublishedIndicator i, WidgetOptions options, string site, string selfUrl)
    {
        var x = TextOf(i, site);
        var (_, _, muted, track) = Colours(options.Theme);
        var (width, _) = options.Box(options.Sparkline && x.Points.Count > 1);
        var html = PageStart(4096, options, x.Title, site, selfUrl, width);
        html.Append($"h1{{font-size:14px;margin:0 0 4px;font-weight:600}}.v{{font-size:{(options.Size == WidgetSize.Small ? 22 : 28)}px;font-weight:700}}");
        html.Append($".m{{font-size:12px;color:{muted}}}.b{{height:8px;background:{track};border-radius:4px;overflow:hidden;margin:6px 0}}");
        html.Append($".b span{{display:block;height:100%;background:#2a7de1}}.s{{display:inline-block;color:#fff;border-radius:10px;padding:1px 8px;font-size:12px}}");
        html.Append($"a{{color:{LinkColour(options.Theme)}}}.h{{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}}");
        html.Append("</style></head><body><div class=\"w\">");
        html.Append($"<h1>{HtmlEncode(x.Title)}</h1><div class=\"v\">{HtmlEncode(x.Value)}</div>");
        if (x.Target is not null) html.Append($"<div class=\"m\">{HtmlEncode(x.Target)}</div>");
        if (x.ShareValue is { } share)
            html.Append($"<div class=\"b\" role=\"img\" aria-label=\"{HtmlEncode(x.Share!)}\"><span style=\"width:{Percent(share)}%\"></span></div><div class=\"m\">{HtmlEncode(x.Share!)}</div>");
        html.Append($"<p style=\"margin:6px 0\"><span class=\"s\" style=\"background:{x.StatusColour}\">{HtmlEncode(x.Status)}</span> ");
        if (x.AsOf is not null) html.Append($"<span class=\"m\">{HtmlEncode(x.AsOf)}</span>");
        html.Append("</p>");
        if (options.Sparkline && x.Points.Count > 1)
        {
            html.Append(SparklineSvg(x.Points, 160, 28, "#2a7de1"));
            html.Append($"<table class=\"h\"><caption>{HtmlEncode(Ui.T("公表値の推移", "Published figures"))}</caption><tr><th>{HtmlEncode(Ui.T("時点", "As of"))}</th><th>{HtmlEncode(Ui.T("値", "Value"))}</th></tr>");
            foreach (var p in x.Points) html.Append($"<tr><td>{p.AsOf:yyyy-MM-dd}</td><td>{HtmlEncode(Ui.Figure(p.Value, i))}</td></tr>");
            html.Append("</table>");
        }
        html.Append($"<div class=\"m\">{MoreLink(x.Link)}");
        if (x.Source is not null) html.Append($"<br>{HtmlEncode(Ui.T("出典", "Source"))}: {HtmlEncode(x.Source)}");
        return PageEnd(html.Append("</div></div>"));
    }

    /// <summary>The same widget as one SVG image, for an img tag: the figures are text, with a title and description.</summary>
    public static string IndicatorSvg(PublishedIndicator i, WidgetOptions options, string site)
    {
        var x = TextOf(i, site);
        var (_, text, muted, track) = Colours(options.Theme);
        var sparkline = options.Sparkline && x.Points.Count > 1;
        var (width, height) = options.Box(sparkline);
        var big = options.Size == WidgetSize.Small ? 22 : 28;
        var svg = SvgStart(4096, options.Theme, width, height, x.Title, Shorten(x.Title, width / 13), x.Link,
            string.Join(Ui.T("。", ". "), new[] { x.Value, x.Target, x.Share, x.Status, x.AsOf }.OfType<string>()));
        svg.Append($"<text x=\"12\" y=\"{26 + big}\" font-size=\"{big}\" font-weight=\"700\" fill=\"{text}\">{HtmlEncode(x.Value)}</text>");
        var y = 30 + big + 16;
        if (x.Target is not null) { svg.Append($"<text x=\"12\" y=\"{y}\" font-size=\"12\" fill=\"{muted}\">{HtmlEncode(x.Target)}</text>"); y += 10; }
        if (x.ShareValue is { } share)
        {
            var barWidth = width - 24;
            svg.Append($"<rect x=\"12\" y=\"{y}\" width=\"{barWidth}\" height=\"8\" rx=\"4\" fill=\"{track}\"/>");
            svg.Append($"<rect x=\"12\" y=\"{y}\" width=\"{Fixed(barWidth * (double)Math.Clamp(share, 0, 1))}\" height=\"8\" rx=\"4\" fill=\"#2a7de1\"/>");
            y += 24;
        }
        else y += 14;
        svg.Append($"<rect x=\"12\" y=\"{y - 13}\" width=\"{Fixed(x.Status.Length * 12.5 + 14)}\" height=\"18\" rx=\"9\" fill=\"{x.StatusColour}\"/>");
        svg.Append($"<text x=\"19\" y=\"{y}\" font-size=\"12\" fill=\"#fff\">{HtmlEncode(x.Status)}</text>");
        if (x.AsOf is not null) svg.Append($"<text x=\"{width - 12}\" y=\"{y}\" font-size=\"11\" fill=\"{muted}\" text-anchor=\"end\">{HtmlEncode(x.AsOf)}</text>");
        if (sparkline) svg.Append($"<g transform=\"translate(12,{y + 8})\">{SparklinePath(x.Points, width - 24, 28, "#2a7de1")}</g>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>An area: its indicators counted by status, as a bar of the statuses' colours and in words.</summary>
    public static string AreaPage(PlanSummary summary, WidgetOptions options, string site, string selfUrl)
    {
        var (_, _, muted, track) = Colours(options.Theme);
        var (width, _) = options.Box(false);
        var title = AreaTitle(summary);
        var html = PageStart(3072, options, title, site, selfUrl, width);
        html.Append("h1{font-size:14px;margin:0 0 6px}");
        html.Append($".bar{{display:flex;height:10px;border-radius:5px;overflow:hidden;background:{track}}}ul{{list-style:none;padding:0;margin:6px 0;font-size:12px}}");
        html.Append($"li span{{display:inline-block;width:10px;height:10px;margin-right:4px}}.m{{font-size:12px;color:{muted}}}a{{color:{LinkColour(options.Theme)}}}</style></head><body><div class=\"w\">");
        html.Append($"<h1>{HtmlEncode(title)}</h1><div class=\"bar\" role=\"img\" aria-label=\"{HtmlEncode(Counts(summary))}\">");
        foreach (var (status, count) in summary.ByStatus.OrderBy(s => s.Key))
            html.Append($"<span style=\"flex:{count};background:{Ui.StatusColour(status)}\"></span>");
        html.Append("</div><ul>");
        foreach (var (status, count) in summary.ByStatus.OrderBy(s => s.Key))
            html.Append($"<li><span style=\"background:{Ui.StatusColour(status)}\"></span>{HtmlEncode(Ui.Status(status))} {count}</li>");
        return PageEnd(html.Append($"</ul><div class=\"m\">{MoreLink(AreaLink(summary, site))}</div></div>"));
    }

    public static string AreaSvg(PlanSummary summary, WidgetOptions options, string site)
    {
        var muted = Colours(options.Theme).Muted;
        var (width, _) = options.Box(false);
        var rows = summary.ByStatus.OrderBy(s => s.Key).ToList();
        var height = 64 + rows.Count * 18;
        var title = AreaTitle(summary);
        var svg = SvgStart(2048, options.Theme, width, height, title, title, AreaLink(summary, site), Counts(summary));
        var x = 12.0;
        var total = Math.Max(1, rows.Sum(r => r.Value));
        foreach (var (status, count) in rows)
        {
            var w = (width - 24) * count / (double)total;
            svg.Append($"<rect x=\"{Fixed(x)}\" y=\"32\" width=\"{Fixed(w)}\" height=\"10\" fill=\"{Ui.StatusColour(status)}\"/>");
            x += w;
        }
        var y = 62;
        foreach (var (status, count) in rows)
        {
            svg.Append($"<rect x=\"12\" y=\"{y - 9}\" width=\"10\" height=\"10\" fill=\"{Ui.StatusColour(status)}\"/><text x=\"28\" y=\"{y}\" font-size=\"12\" fill=\"{muted}\">{HtmlEncode(Ui.Status(status))} {count}</text>");
            y += 18;
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A widget page up to its own styles: head, oEmbed discovery link, and the frame every widget shares.</summary>
    private static StringBuilder PageStart(int capacity, WidgetOptions options, string title, string site, string selfUrl, int width)
    {
        var (background, text, _, track) = Colours(options.Theme);
        var html = new StringBuilder(capacity);
        html.Append($"<!DOCTYPE html><html lang=\"{options.Lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.Append($"<title>{HtmlEncode(title)}</title>");
        html.Append($"<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{HtmlEncode(OEmbed.DiscoveryLink(site, selfUrl))}\" title=\"{HtmlEncode(title)}\">");
        html.Append("<style>");
        html.Append($"body{{margin:0;font-family:\"Noto Sans CJK JP\",\"Noto Sans JP\",system-ui,sans-serif;background:{background};color:{text}}}");
        html.Append($".w{{box-sizing:border-box;max-width:{width}px;padding:10px 12px;border:1px solid {track};border-radius:6px}}");
        return html;
    }

    private static string PageEnd(StringBuilder html) => html.Append(HeightScript).Append("</body></html>").ToString();

    private static string MoreLink(string link) =>
        $"<a href=\"{HtmlEncode(link)}\" target=\"_top\">{HtmlEncode(Ui.T("詳しく見る（北海道Society5.0 指標ダッシュボード）", "More (Hokkaido Society 5.0 dashboard)"))}</a>";

    private static string LinkColour(WidgetTheme theme) => theme == WidgetTheme.Dark ? "#9ecae1" : "#0b57a4";

    /// <summary>A widget image up to its own content: title and description for screen readers, frame, linked heading.</summary>
    private static StringBuilder SvgStart(int capacity, WidgetTheme theme, int width, int height, string title, string heading, string link, string description)
    {
        var (background, text, _, track) = Colours(theme);
        var svg = new StringBuilder(capacity);
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"t d\" font-family=\"Noto Sans CJK JP, Noto Sans JP, sans-serif\">");
        svg.Append($"<title id=\"t\">{HtmlEncode(title)}</title><desc id=\"d\">{HtmlEncode(description)}</desc>");
        svg.Append($"<rect x=\"0.5\" y=\"0.5\" width=\"{width - 1}\" height=\"{height - 1}\" rx=\"6\" fill=\"{background}\" stroke=\"{track}\"/>");
        svg.Append($"<a href=\"{HtmlEncode(link)}\"><text x=\"12\" y=\"22\" font-size=\"13\" font-weight=\"600\" fill=\"{text}\">{HtmlEncode(heading)}</text></a>");
        return svg;
    }

    private static string AreaTitle(PlanSummary s) => s.Area is { } area
        ? Ui.T($"{Ui.Area(area)}分野の評価指標（{s.Indicators}件）", $"{Ui.Area(area)}: {s.Indicators} evaluation indicators")
        : Ui.T($"北海道Society5.0推進計画の評価指標（{s.Indicators}件）", $"Hokkaido Society 5.0 plan: {s.Indicators} evaluation indicators");

    private static string AreaLink(PlanSummary s, string site) => s.Area is { } area ? $"{site}/?area={area}" : $"{site}/";

    private static string Counts(PlanSummary s) =>
        string.Join(Ui.T("、", ", "), s.ByStatus.OrderBy(b => b.Key).Select(b => $"{Ui.Status(b.Key)} {b.Value}"));

    // Tells the host page the frame's height (see /embed/resize.js, which checks where the message comes from): when it
    // loads, when it resizes, and when the host asks (its script may run after the frame has loaded).
    private const string HeightScript =
        "<script>(function(){function h(){parent.postMessage({type:'s5k-embed-height',height:Math.ceil(document.documentElement.getBoundingClientRect().height)},'*')}" +
        "addEventListener('load',h);addEventListener('resize',h);addEventListener('message',function(e){if(e.data&&e.data.type==='s5k-embed-ask')h()});h()})();</script>";

    private static string SparklineSvg(IReadOnlyList<PublishedFigure> points, int width, int height, string colour) =>
        $"<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" aria-hidden=\"true\" focusable=\"false\">{SparklinePath(points, width, height, colour)}</svg>";

    private static string SparklinePath(IReadOnlyList<PublishedFigure> points, int width, int height, string colour)
    {
        var (min, max) = (points.Min(p => p.Value), points.Max(p => p.Value));
        string X(int k) => Fixed(2 + (width - 4) * k / (double)(points.Count - 1));
        string Y(decimal v) => Fixed(max == min ? height / 2.0 : height - 2 - (height - 4) * (double)((v - min) / (max - min)));
        return $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{string.Join(" ", points.Select((p, k) => $"{X(k)},{Y(p.Value)}"))}\"/>";
    }

    private static string Percent(decimal share) => (Math.Clamp(share, 0m, 1m) * 100).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Fixed(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int characters) => text.Length <= characters ? text : text[..Math.Max(1, characters - 1)] + "…";
}
