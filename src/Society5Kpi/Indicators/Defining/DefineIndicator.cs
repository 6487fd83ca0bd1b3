using FluentValidation;
using Marten;
using Society5Kpi.Domain;

namespace Society5Kpi.Indicators.Defining;

/// <summary>The indicator's description as the plan writes it. Baseline and target are separate events.</summary>
public sealed record IndicatorDefined(
    string Code, Area Area, string PolicyJa, string PolicyEn, string NameJa, string NameEn, string Unit, string UnitJa,
    Direction Direction, Measure Measure, ReportingFrequency Frequency, bool PlanIndicator, string? Note, string? Source,
    MunicipalityCount? DerivedFrom = null, MunicipalBreakdown? Breakdown = null);

public sealed record IndicatorDescriptionRevised(IndicatorDefined Definition, string Reason);

public sealed record BaselineSet(string Code, decimal? Value, Period Period, string? Basis);

public sealed record TargetSet(string Code, decimal? Value, Period Period);

public sealed record TargetRevised(string Code, decimal? Value, Period Period, string Reason);

/// <summary>
/// Define an indicator, or bring an existing one in line with this definition: only what differs is
/// appended (a revised description, baseline or target, with the reason), so repeating it changes nothing.
/// </summary>
public sealed record DefineIndicator(
    string Code, Area Area, string PolicyJa, string PolicyEn, string NameJa, string NameEn, string Unit, string UnitJa,
    Direction Direction, Measure Measure, ReportingFrequency Frequency, bool PlanIndicator,
    decimal? BaselineValue, Period? BaselinePeriod, string? BaselineBasis,
    decimal? TargetValue, Period? TargetPeriod, string? Note, string? Source, string Reason, MunicipalityCount? DerivedFrom = null,
    MunicipalBreakdown? Breakdown = null)
{
    public IndicatorDefined Definition() => new(Code, Area, PolicyJa, PolicyEn, NameJa, NameEn, Unit, UnitJa,
        Direction, Measure, Frequency, PlanIndicator, Note, Source, DerivedFrom, Breakdown);
}

public sealed record IndicatorDefinitionResult(string Code, int EventsAppended);

public sealed class DefineIndicatorValidator : AbstractValidator<DefineIndicator>
{
    public DefineIndicatorValidator()
    {
        RuleFor(c => c.Code).NotEmpty().Matches("^[A-Z]{3}-[0-9]{2}$")
            .WithMessage("Code must look like LIV-01: three capital letters, a hyphen, two digits.");
        RuleFor(c => c.Area).IsInEnum();
        RuleFor(c => c.NameJa).NotEmpty();
        RuleFor(c => c.NameEn).NotEmpty();
        RuleFor(c => c.Reason).NotEmpty();
        RuleFor(c => c.Unit).NotEmpty().When(c => c.Measure != Measure.Qualitative)
            .WithMessage("A quantitative indicator needs a unit.");
        RuleFor(c => c.UnitJa).NotEmpty().When(c => !string.IsNullOrEmpty(c.Unit))
            .WithMessage("The unit needs its Japanese form too (unit_ja), for the Japanese pages.");
        // Reference figures (not chapter-4 indicators) are monitored without a target.
        When(c => c.PlanIndicator && c.Measure != Measure.Qualitative, () =>
        {
            RuleFor(c => c.TargetValue).NotNull().WithMessage("A quantitative plan indicator needs a target value.");
            RuleFor(c => c.Direction).NotEqual(Direction.None)
                .WithMessage("A quantitative plan indicator needs a direction (increase, decrease or floor).");
        });
        RuleFor(c => c.TargetPeriod).NotNull().When(c => c.TargetValue is not null)
            .WithMessage("A target value needs a target period.");
        RuleFor(c => c.BaselinePeriod).NotNull().When(c => c.BaselineValue is not null)
            .WithMessage("A baseline value needs a baseline period.");
        RuleFor(c => c.TargetPeriod)
            .Must((c, target) => target!.Value.End > c.BaselinePeriod!.Value.End)
            .When(c => c.TargetPeriod is not null && c.BaselinePeriod is not null)
            .WithMessage(c => $"The target period {c.TargetPeriod} ends before the baseline period {c.BaselinePeriod}.");
        RuleFor(c => c.TargetPeriod)
            .Must(target => target!.Value.IsSpan)
            .When(c => c.Measure == Measure.Cumulative && c.TargetPeriod is not null)
            .WithMessage("A cumulative target needs a span of years (e.g. FY2020-FY2024).");
        RuleFor(c => c.Breakdown)
            .Must(b => b!.IsRate || (b.NumeratorEn, b.NumeratorJa, b.DenominatorEn, b.DenominatorJa) == (null, null, null, null))
            .When(c => c.Breakdown is not null)
            .WithMessage("A rate's parts need both names in both languages (numerator_ja/en, denominator_ja/en), or none.");
        RuleFor(c => c.Breakdown)
            .Must(b => b!.IsRate).When(c => c.Breakdown?.PrefectureFigure == PrefectureFigure.Derived)
            .WithMessage("A prefecture figure derived from the municipalities' needs the rate's parts (Σnumerator / Σdenominator).");
        RuleFor(c => c.BaselineValue).GreaterThanOrEqualTo(0).When(c => c.BaselineValue is not null);
        RuleFor(c => c.TargetValue).GreaterThanOrEqualTo(0).When(c => c.TargetValue is not null);
    }
}

public static class DefineIndicatorHandler
{
    public static Task ValidateAsync(DefineIndicator command, IValidator<DefineIndicator> validator) =>
        validator.ValidateAndThrowAsync(command);

    public static async Task<IndicatorDefinitionResult> Handle(DefineIndicator command, IDocumentSession session)
    {
        var stream = await session.Events.FetchForWriting<IndicatorProgress>(command.Code);
        var events = Changes(stream.Aggregate, command).ToArray();
        if (events.Length > 0) stream.AppendMany(events);
        return new IndicatorDefinitionResult(command.Code, events.Length);
    }

    /// <summary>The events that take the indicator from what it is to what the command describes.</summary>
    public static IEnumerable<object> Changes(IndicatorProgress? current, DefineIndicator command)
    {
        var definition = command.Definition();
        if (current is null) yield return definition;
        else if (Described(current) != definition) yield return new IndicatorDescriptionRevised(definition, command.Reason);

        if (command.BaselinePeriod is { } baselinePeriod &&
            current?.Baseline != new Baseline(command.BaselineValue, baselinePeriod, command.BaselineBasis))
            yield return new BaselineSet(command.Code, command.BaselineValue, baselinePeriod, command.BaselineBasis);

        if (command.TargetPeriod is { } targetPeriod &&
            current?.Target != new Target(command.TargetValue, targetPeriod))
        {
            if (current?.Target is null) yield return new TargetSet(command.Code, command.TargetValue, targetPeriod);
            else yield return new TargetRevised(command.Code, command.TargetValue, targetPeriod, command.Reason);
        }
    }

    private static IndicatorDefined Described(IndicatorProgress i) => new(i.Id, i.Area, i.PolicyJa, i.PolicyEn,
        i.NameJa, i.NameEn, i.Unit, i.UnitJa, i.Direction, i.Measure, i.Frequency, i.PlanIndicator, i.Note, i.Source, i.DerivedFrom,
        i.Breakdown);
}
