using System.Collections.Immutable;
using FluentValidation;
using Marten;
using Society5Kpi.Infrastructure;
using Society5Kpi.Domain;
using Society5Kpi.Roadmap.Progressing;

namespace Society5Kpi.Roadmap.Planning;

/// <summary>Where an item sits: the data-utilisation table (FY2022-2025), the digital-talent steps, or the FY2022 pillars.</summary>
public enum RoadmapTrack { DataRoadmap, DigitalTalent, Fy2022Pillar }

public sealed record RoadmapItemPlanned(
    string Code, RoadmapTrack Track, string Lane, string TitleJa, string TitleEn,
    Period? PlannedFrom, Period? PlannedTo, ImmutableArray<string> LinkedIndicators, string? Note, string? Source);

public sealed record RoadmapItemReplanned(RoadmapItemPlanned Plan, string Reason);

/// <summary>Plan a roadmap item, or bring a planned one in line with this plan (a revision with the reason).</summary>
public sealed record PlanRoadmapItem(
    string Code, RoadmapTrack Track, string Lane, string TitleJa, string TitleEn,
    Period? PlannedFrom, Period? PlannedTo, ImmutableArray<string> LinkedIndicators, string? Note, string? Source,
    string Reason)
{
    public RoadmapItemPlanned Plan() =>
        new(Code, Track, Lane, TitleJa, TitleEn, PlannedFrom, PlannedTo, LinkedIndicators, Note, Source);
}

public sealed class PlanRoadmapItemValidator : AbstractValidator<PlanRoadmapItem>
{
    public PlanRoadmapItemValidator()
    {
        RuleFor(c => c.Code).NotEmpty().Matches("^RM-[0-9]{2,3}$").WithMessage("Code must look like RM-01.");
        RuleFor(c => c.Track).IsInEnum();
        RuleFor(c => c.Lane).NotEmpty();
        RuleFor(c => c.TitleJa).NotEmpty();
        RuleFor(c => c.TitleEn).NotEmpty();
        RuleFor(c => c.Reason).NotEmpty();
        RuleFor(c => c.PlannedFrom).Must(p => p!.Value.Kind == PeriodKind.FiscalYear).When(c => c.PlannedFrom is not null)
            .WithMessage("Roadmap items are planned in fiscal years (e.g. FY2023).");
        RuleFor(c => c.PlannedTo).Must(p => p!.Value.Kind == PeriodKind.FiscalYear).When(c => c.PlannedTo is not null)
            .WithMessage("Roadmap items are planned in fiscal years (e.g. FY2023).");
        RuleFor(c => c.PlannedTo)
            .Must((c, to) => to!.Value.Year >= c.PlannedFrom!.Value.Year)
            .When(c => c.PlannedFrom is not null && c.PlannedTo is not null)
            .WithMessage(c => $"The item ends ({c.PlannedTo}) before it starts ({c.PlannedFrom}).");
    }
}

/// <summary>A roadmap item as the roadmap page shows it.</summary>
public sealed record RoadmapItem
{
    public string Id { get; init; } = "";
    public long Version { get; init; }
    public RoadmapItemPlanned Plan { get; init; } = null!;

    public static RoadmapItem Create(RoadmapItemPlanned e) => new() { Id = e.Code, Plan = e };

    public RoadmapItem Apply(RoadmapItemReplanned e) => this with { Plan = e.Plan };

    /// <summary>The fiscal years it actually started and was completed in, as reported.</summary>
    public Period? ActualStart { get; init; }
    public Period? ActualEnd { get; init; }

    /// <summary>The latest deferral: its years replace the plan's (a revised plan does not undo it).</summary>
    public RoadmapDeferral? LastDeferral { get; init; }

    public Period? ScheduledFrom => LastDeferral is { } d ? d.NewPlannedFrom : Plan.PlannedFrom;
    public Period? ScheduledTo => LastDeferral is { } d ? d.NewPlannedTo : Plan.PlannedTo;

    /// <summary>The stored state; whether it is late depends on the day (RoadmapSchedule.StateOn).</summary>
    public RoadmapState State =>
        ActualEnd is not null ? RoadmapState.Completed
        : ActualStart is not null ? RoadmapState.InProgress
        : LastDeferral is not null ? RoadmapState.Deferred
        : RoadmapState.Planned;

    /// <summary>What happened, in the order it was reported: the roadmap tells it, late or not.</summary>
    public ImmutableList<RoadmapProgressFact> Progress { get; init; } = [];

    public RoadmapItem Apply(RoadmapItemStarted e) => this with
    {
        ActualStart = e.FiscalYear, Progress = Progress.Add(new(RoadmapProgressKind.Started, e.FiscalYear, e.On, e.Note, e.Source))
    };

    public RoadmapItem Apply(RoadmapItemCompleted e) => this with
    {
        ActualEnd = e.FiscalYear, Progress = Progress.Add(new(RoadmapProgressKind.Completed, e.FiscalYear, e.On, e.Note, e.Source))
    };

    public RoadmapItem Apply(RoadmapItemDeferred e) => this with
    {
        LastDeferral = new RoadmapDeferral(e.NewPlannedFrom, e.NewPlannedTo, e.Reason, Domain.JapanTime.Today(e.At)),
        Progress = Progress.Add(new(RoadmapProgressKind.Deferred, e.NewPlannedTo ?? e.NewPlannedFrom, e.On, e.Reason, e.Source))
    };
}

/// <summary>A reported step of an item: started, completed or deferred, in which fiscal year, on which day, by which source.</summary>
public sealed record RoadmapProgressFact(RoadmapProgressKind Kind, Period? FiscalYear, DateOnly? On, string? Note, string? Source);

/// <summary>A deferral as the public roadmap shows it: the new years and why; who deferred it stays in the event.</summary>
public sealed record RoadmapDeferral(Period? NewPlannedFrom, Period? NewPlannedTo, string Reason, DateOnly On);

public static class PlanRoadmapItemHandler
{
    public static Task ValidateAsync(PlanRoadmapItem command, IValidator<PlanRoadmapItem> validator) =>
        validator.ValidateAndThrowAsync(command);

    public static async Task<int> Handle(PlanRoadmapItem command, IDocumentSession session)
    {
        var stream = await session.Events.FetchForWriting<RoadmapItem>(command.Code);
        var plan = command.Plan();
        return stream.BringInLine(plan, item => SamePlan(item.Plan, plan), () => new RoadmapItemReplanned(plan, command.Reason));
    }

    // Records compare arrays by reference; the linked indicators are compared by content.
    private static bool SamePlan(RoadmapItemPlanned a, RoadmapItemPlanned b) =>
        a with { LinkedIndicators = [] } == b with { LinkedIndicators = [] } &&
        a.LinkedIndicators.SequenceEqual(b.LinkedIndicators);
}
