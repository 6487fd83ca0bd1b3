namespace Society5Kpi.Domain;

/// <summary>
/// The dates the product takes from users (as-of views, figures, milestones, facts): from the first day of Heisei,
/// before any figure the plan tracks, to the end of FY2100. A date outside is refused with this range in the message,
/// so no page or fold ever meets a date it cannot write (the Japanese era of 0001-01-01, DateOnly past 9999).
/// </summary>
public static class SupportedDates
{
    public static readonly DateOnly First = new(1989, 1, 8);
    public static readonly DateOnly Last = new(2101, 3, 31);

    public static bool Contains(DateOnly day) => day >= First && day <= Last;

    public static bool Contains(DateOnly? day) => day is not { } d || Contains(d);

    public static string Range => $"{First:yyyy-MM-dd} to {Last:yyyy-MM-dd}";

    public const string OutsideMessage = "is outside the dates this product supports";

    public static string Outside(DateOnly? day) => $"{day:yyyy-MM-dd} {OutsideMessage} ({Range}).";
}
