using System.Globalization;

namespace Society5Kpi.OpenData;

/// <summary>
/// A page text (<see cref="Components.Ui"/>) in Japanese and in English at once. Open data carries both languages in one
/// document, and takes them from the pages' own pairs so that the two never name an area or a status differently.
/// </summary>
public static class InBothLanguages
{
    public static (string Ja, string En) Of(Func<string> text) => (In("ja-JP", text), In("en", text));

    private static string In(string culture, Func<string> text)
    {
        var page = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        try
        {
            return text();
        }
        finally
        {
            CultureInfo.CurrentUICulture = page;
        }
    }
}
