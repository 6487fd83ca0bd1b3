using Society5Kpi.Roadmap.Planning;

namespace Society5Kpi.Roadmap;

/// <summary>Where an item stands. Late is never stored: it is judged against a day (see RoadmapSchedule.StateOn).</summary>
public enum RoadmapState { Planned, InProgress, Completed, Deferred, Late }

public static class RoadmapSchedule
{
    /// <summary>
    /// The item's state on a day (Japan time), with lateness judged against its current schedule
    /// (the latest deferral's years, else the plan's): Late once its planned first fiscal year has begun
    /// and it has not started, or once its planned last fiscal year is over and it is not completed.
    /// An item without planned years (the document gives none for some) is never late.
    /// </summary>
    public static RoadmapState StateOn(RoadmapItem item, DateOnly today)
    {
        var state = item.State;
        if (state == RoadmapState.Completed) return state;
        var notStartedInTime = item.ActualStart is null && item.ScheduledFrom is { } from && today >= from.Start;
        var notCompletedInTime = item.ScheduledTo is { } to && today > to.End;
        return notStartedInTime || notCompletedInTime ? RoadmapState.Late : state;
    }
}
