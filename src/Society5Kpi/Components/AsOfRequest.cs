using FluentValidation;
using Society5Kpi.Domain;

namespace Society5Kpi.Components;

/// <summary>The ?asOf= of a page: a supported day, or a message saying the range (never an error page).</summary>
public static class AsOfRequest
{
    public static (DateOnly? Day, string? Problem) Read(string? text)
    {
        try
        {
            return (Indicators.Listing.AsOfDate.Parse(text), null);
        }
        catch (ValidationException)
        {
            return (null, Ui.T($"表示時点「{text}」は使えません。{SupportedDates.Range} の日付を YYYY-MM-DD で指定してください。現在の数値を表示しています。",
                $"The as-of date '{text}' cannot be used: give a date from {SupportedDates.Range} written YYYY-MM-DD. Showing the figures now."));
        }
    }
}
