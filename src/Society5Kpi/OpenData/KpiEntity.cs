using System.Text.Json.Nodes;
using Society5Kpi.Components;
using Society5Kpi.Domain;
using Society5Kpi.Indicators;

namespace Society5Kpi.OpenData;

/// <summary>One attribute of an entity before it is written, normalized or simplified.</summary>
/// <param name="ValueType">The NGSI-LD type of a date value ("Date") in the normalized form; the simplified form writes the plain string.</param>
/// <param name="UnitCode">The UN/CEFACT code of the value's unit, where there is one.</param>
public sealed record NgsiAttribute(string Name, JsonNode Value, DateOnly? ObservedOn = null, string? ValueType = null, string? UnitCode = null);

/// <summary>
/// An indicator as a FIWARE Smart Data Models KeyPerformanceIndicator (model 0.2.1) NGSI-LD entity. Pure: built from
/// the published view only, so no draft, review comment or account name can reach it. Only what the plan's data says
/// is filled; what it does not say (when the indicator was created, which organisation calculates each figure) is left out.
/// </summary>
public static class KpiEntity
{
    public const string Type = "KeyPerformanceIndicator";
    /// <summary>The type as the model's @context expands it: a query may name it either way.</summary>
    public const string TypeUri = "https://smartdatamodels.org/dataModel.KeyPerformanceIndicator/KeyPerformanceIndicator";
    public const string ModelContext = "https://raw.githubusercontent.com/smart-data-models/dataModel.KeyPerformanceIndicator/master/context.jsonld";
    public const string CoreContext = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld";
    /// <summary>The $id of the model's JSON schema, which the simplified entities validate against.</summary>
    public const string Schema = "https://smart-data-models.github.io/dataModel.KeyPerformanceIndicator/keyPerformanceIndicator/schema.json";

    private const string IdPrefix = "urn:ngsi-ld:KeyPerformanceIndicator:hokkaido-society5:";

    public static string IdOf(string code) => IdPrefix + code;

    /// <summary>The indicator code an entity id names, or null when the id is not one of ours.</summary>
    public static string? CodeOf(string id) =>
        id.StartsWith(IdPrefix, StringComparison.Ordinal) && id.Length > IdPrefix.Length ? id[IdPrefix.Length..] : null;

    public static bool IsOurType(string type) => type is Type or TypeUri;

    /// <summary>Each attribute a Property: {"type": "Property", "value": …}, the latest figure with its observedAt.</summary>
    public static JsonObject Normalized(PublishedIndicator indicator, string site)
    {
        var entity = Head(indicator);
        foreach (var attribute in Attributes(indicator, site)) entity[attribute.Name] = Property(attribute);
        // NGSI-LD keeps an entity's last change as its system attribute modifiedAt, not as a Property (the model's dateModified).
        if (Publication.LastPublished(indicator) is { } day) entity["modifiedAt"] = Publication.DateTime(day);
        return entity;
    }

    /// <summary>Each attribute its bare value (options=keyValues): the form the model's JSON schema describes.</summary>
    public static JsonObject Simplified(PublishedIndicator indicator, string site)
    {
        var entity = Head(indicator);
        foreach (var attribute in Attributes(indicator, site)) entity[attribute.Name] = attribute.Value.DeepClone();
        if (Publication.LastPublished(indicator) is { } day) entity["dateModified"] = Publication.DateTime(day);
        return entity;
    }

    /// <summary>The published history of kpiValue, oldest first: an instance per figure, each with its value and observedAt.</summary>
    public static JsonObject Temporal(PublishedIndicator indicator, IReadOnlyList<PublishedFigure> figures)
    {
        var entity = Head(indicator);
        if (figures.Count > 0)
            entity["kpiValue"] = new JsonArray(figures.Select(f =>
            {
                var instance = Property(KpiValue(indicator, f));
                instance["instanceId"] = $"urn:ngsi-ld:Instance:{f.MeasurementId}";
                return (JsonNode)instance;
            }).ToArray());
        return entity;
    }

    /// <summary>The simplified temporal form (options=temporalValues): {"type": "Property", "values": [[value, observedAt], …]}.</summary>
    public static JsonObject TemporalValues(PublishedIndicator indicator, IReadOnlyList<PublishedFigure> figures)
    {
        var entity = Head(indicator);
        if (figures.Count > 0)
            entity["kpiValue"] = new JsonObject
            {
                ["type"] = "Property",
                ["values"] = new JsonArray(figures.Select(f => (JsonNode)new JsonArray(f.Value, Publication.DateTime(f.AsOf))).ToArray())
            };
        return entity;
    }

    /// <summary>Our status on the model's five-step scale, which matches the plan's five Open SDG categories one to one.</summary>
    public static string? Standing(Status? status) => status switch
    {
        Status.Achieved => "veryGood",
        Status.OnTrack => "good",
        Status.AccelerationNeeded => "fair",
        Status.LimitedProgress => "bad",
        // Below a floor the plan says to keep: short of the target, but not a trend going the wrong way.
        Status.OffTrack => "bad",
        Status.Deterioration => "veryBad",
        // Not judged (too few figures, a promotion goal, no target): the model has no standing for that.
        _ => null
    };

    /// <summary>The model's word for how often a figure comes; it has none for "irregular".</summary>
    public static string? CalculationFrequency(ReportingFrequency frequency) => frequency switch
    {
        ReportingFrequency.Annual => "yearly",
        ReportingFrequency.Quarterly => "quarterly",
        ReportingFrequency.Monthly => "monthly",
        _ => null
    };

    private static JsonObject Head(PublishedIndicator indicator) => new() { ["id"] = IdOf(indicator.Id), ["type"] = Type };

    private static IEnumerable<NgsiAttribute> Attributes(PublishedIndicator i, string site)
    {
        yield return Text("name", i.NameJa);
        yield return Text("alternateName", i.NameEn);
        yield return Text("description", Description(i));
        yield return new NgsiAttribute("category", new JsonArray(i.Measure == Measure.Qualitative ? "qualitative" : "quantitative"));
        // The KPI evaluates a policy of the plan (施策): the model's "process" (it wants a process or a product).
        yield return Text("process", i.PolicyJa);
        if (i.Latest is { } latest)
        {
            yield return KpiValue(i, latest);
            yield return new NgsiAttribute("calculationPeriod", new JsonObject
            {
                ["from"] = Publication.Date(latest.Period.Start), ["to"] = Publication.Date(latest.Period.End)
            });
            // The last day the next figure can come before it is overdue (the dashboard's rule).
            if (IndicatorStatusRules.NextFigureDue(i.Frequency, latest.AsOf) is { } due)
                yield return new NgsiAttribute("dateNextCalculation", Publication.Date(due), ValueType: "Date");
        }
        if (Standing(i.Status) is { } standing) yield return Text("currentStanding", standing);
        if (CalculationFrequency(i.Frequency) is { } frequency) yield return Text("calculationFrequency", frequency);
        // Figures are entered from their sources and approved by a reviewer; only a prefecture rate summed from the
        // municipalities' figures is computed here.
        yield return Text("calculationMethod", i.Breakdown?.PrefectureFigure == PrefectureFigure.Derived ? "automatic" : "manual");
        if (Formula(i) is { } formula) yield return Text("calculationFormula", formula);
        if (BusinessTarget(i) is { } target) yield return Text("businessTarget", target);
        yield return Text("organization", Publication.Publisher);
        yield return Text("dataProvider", Publication.Publisher);
        // Where the value comes from; before the first figure, the plan document that defines the indicator.
        if ((i.Latest?.Source ?? i.Source) is { } source) yield return Text("source", source);
        yield return new NgsiAttribute("address", new JsonObject { ["addressRegion"] = Publication.Region, ["addressCountry"] = "JP" });
        yield return Text("areaServed", Publication.Region);
        yield return new NgsiAttribute("seeAlso", new JsonArray($"{site}/indicators/{i.Id}", $"{site}/api/indicators/{i.Id}"));
        // Not in the model: our own status and how it was judged, which currentStanding can only approximate.
        if (i.Status is { } status)
        {
            yield return Text("status", status.ToString());
            yield return Text("statusMethod", StatusMethod(i));
        }
    }

    private static NgsiAttribute KpiValue(PublishedIndicator indicator, PublishedFigure figure) =>
        new("kpiValue", JsonValue.Create(figure.Value), figure.AsOf, UnitCode: indicator.Unit.Trim() == "%" ? "P1" : null);

    private static NgsiAttribute Text(string name, string value) => new(name, JsonValue.Create(value));

    private static JsonObject Property(NgsiAttribute attribute)
    {
        var property = new JsonObject
        {
            ["type"] = "Property",
            ["value"] = attribute.ValueType is { } type
                ? new JsonObject { ["@type"] = type, ["@value"] = attribute.Value.DeepClone() }
                : attribute.Value.DeepClone()
        };
        if (attribute.ObservedOn is { } day) property["observedAt"] = Publication.DateTime(day);
        if (attribute.UnitCode is { } unit) property["unitCode"] = unit;
        return property;
    }

    private static string Description(PublishedIndicator i)
    {
        var (areaJa, areaEn) = InBothLanguages.Of(() => Ui.Area(i.Area));
        var unit = i.Unit.Length > 0;
        var ja = $"北海道Society5.0推進計画「{areaJa}」分野の{(i.PlanIndicator ? "評価指標" : "参考指標")}。施策: {i.PolicyJa}" +
                 (unit ? $"。単位: {i.UnitJa}" : "");
        var en = $"{(i.PlanIndicator ? "Indicator" : "Reference figure")} of the Hokkaido Society 5.0 plan, area {areaEn}. Policy: {i.PolicyEn}" +
                 (unit ? $". Unit: {i.Unit}" : "");
        return $"{ja} / {en}";
    }

    /// <summary>The target and the baseline it starts from, as the plan writes them.</summary>
    private static string? BusinessTarget(PublishedIndicator i)
    {
        if (i.Target is not { Value: { } value } target) return null;
        var cumulative = i.Measure == Measure.Cumulative;
        var (figureJa, figureEn) = InBothLanguages.Of(() => Ui.TargetFigure(value, i));
        var ja = $"目標値{(cumulative ? "（累計）" : "")} {figureJa}（{target.Period.ToJapanese()}）";
        var en = $"{(cumulative ? "cumulative target" : "target")} {figureEn} ({target.Period.ToEnglish()})";
        if (i.Baseline is { Value: { } start } baseline)
        {
            var (baseJa, baseEn) = InBothLanguages.Of(() => Ui.Figure(start, i));
            ja += $"、基準値 {baseJa}（{baseline.Period.ToJapanese()}）";
            en += $", baseline {baseEn} ({baseline.Period.ToEnglish()})";
        }
        return $"{ja} / {en}";
    }

    /// <summary>What a figure is, where the plan says: a rate's parts, or a total over the target's span.</summary>
    private static string? Formula(PublishedIndicator i)
    {
        if (i.Breakdown is { IsRate: true } rate)
        {
            var percent = MunicipalAggregation.ScaleOf(i.Unit) == 100m ? " × 100" : "";
            return rate.PrefectureFigure == PrefectureFigure.Derived
                ? $"Σ{rate.NumeratorJa} ÷ Σ{rate.DenominatorJa}{percent}（市町村の合計） / Σ {rate.NumeratorEn} ÷ Σ {rate.DenominatorEn}{percent} over the municipalities"
                : $"{rate.NumeratorJa} ÷ {rate.DenominatorJa}{percent} / {rate.NumeratorEn} ÷ {rate.DenominatorEn}{percent}";
        }
        return i.Measure == Measure.Cumulative && i.Target is { } target
            ? $"{target.Period.ToJapanese()}の累計 / running total over {target.Period.ToEnglish()}"
            : null;
    }

    private static string StatusMethod(PublishedIndicator i) =>
        i.StatusOverride is { } judged
            ? $"Reviewer's judgement of {Publication.Date(judged.On)}: {judged.Reason}" +
              (i.Assessment is { } computed ? $" (computed by {computed.Method}: {computed.Status})" : "")
            : i.Assessment!.Method;
}
