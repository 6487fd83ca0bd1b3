using System.Globalization;
using Society5Kpi.Indicators;
using Society5Kpi.Seeds;

namespace Society5Kpi.OpenData;

/// <summary>Who publishes the plan's open data, under which licence, and the credit lines its sources ask for.</summary>
public static class Publication
{
    public const string Publisher = "北海道 総合政策部";
    public const string Region = "北海道";
    public const string Licence = "https://creativecommons.org/licenses/by/4.0/";

    public const string CardSeriesCredit = "「マイナンバーカード交付状況について」（総務省）をもとに作成";
    public const string BoundariesCredit = "「国土数値情報（行政区域データ）」（国土交通省）を加工して作成";
    /// <summary>The municipalities' codes and names (seeds/README: デジタル庁 ABR, CC BY 4.0, which asks for this credit).</summary>
    public const string MunicipalityNamesCredit = "「アドレス・ベース・レジストリ」（デジタル庁）を加工して作成";

    // By the source a published figure names; a source not here asks for no credit line.
    private static readonly Dictionary<string, string> CreditBySource = new() { [MyNumberCardSeries.Source] = CardSeriesCredit };

    /// <summary>The credit lines the indicators' published figures need, each once.</summary>
    public static IReadOnlyList<string> CreditsOf(IEnumerable<PublishedIndicator> indicators) =>
        indicators.SelectMany(i => i.Figures).Select(f => f.Source).OfType<string>().Distinct()
            .Select(CreditBySource.GetValueOrDefault).OfType<string>().Distinct().ToList();

    /// <summary>The last day anything of the indicator was published: a figure approved, or a reviewer's judgement.</summary>
    public static DateOnly? LastPublished(PublishedIndicator indicator) =>
        indicator.Figures.Select(f => (DateOnly?)f.PublishedOn).Append(indicator.StatusOverride?.On).Max();

    /// <summary>
    /// A day as an instant: midnight UTC, so that the date reads the same wherever it is shown. The plan's figures are
    /// dated, not timed (as of 2024-01-31), and NGSI-LD and the model want date-times in UTC.
    /// </summary>
    public static string DateTime(DateOnly day) => $"{Date(day)}T00:00:00Z";

    public static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Where the site is, as the request reached it: scheme, host and path base, no trailing slash.</summary>
    public static string SiteOf(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}
