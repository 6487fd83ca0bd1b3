using Society5Kpi.CouncilMeetings;
using Society5Kpi.Indicators;

namespace Society5Kpi.Components;

/// <summary>What an indicator page shows.</summary>
public sealed record IndicatorPageView(
    PublishedIndicator Indicator, IndicatorBreakdown? Breakdown, IReadOnlyList<CouncilMeeting> Meetings,
    DateOnly Today, DateOnly? AsOf, string? AsOfProblem);
