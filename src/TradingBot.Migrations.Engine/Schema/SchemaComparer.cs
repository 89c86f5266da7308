using TradingBot.Migrations.Engine.Safety;

namespace TradingBot.Migrations.Engine.Schema;

/// <summary>How one object differs: absent from the side compared (Missing), only there (Extra), or an property changed.</summary>
public enum SchemaChange
{
    Missing,
    Extra,
    Changed,
}

/// <summary>
/// One difference between a reference schema and the one compared with it. <see cref="Property"/> names what changed
/// (null when the whole object is missing or extra); the values are each side's, null where that side has none.
/// </summary>
public sealed record SchemaDifference(
    SchemaObjectKind Kind, string Name, string? Table, SchemaChange Change, string? Property, string? ReferenceValue, string? DifferenceValue,
    SafetySeverity Severity)
{
    /// <summary>The object on the reference's side, when it has it.</summary>
    public SchemaObject? ReferenceObject { get; init; }

    /// <summary>The object on the compared side, when it has it.</summary>
    public SchemaObject? DifferenceObject { get; init; }

    /// <summary>"missing", "extra", or the property that changed.</summary>
    public string Description => Change switch
    {
        SchemaChange.Missing => "missing",
        SchemaChange.Extra => "extra",
        _ => Property ?? "changed",
    };
}

/// <summary>
/// Compares two snapshots object by object (kind and name), then property by property, in snapshot order. An object that
/// could break the application when absent is an Error, and so is a privilege, row security, a policy or a rule on either
/// side (they decide what the application may see and do); what is only extra, an index, an event trigger, or a default
/// is a Warning; a column's place in its table and a comment are Info.
/// </summary>
public static class SchemaComparer
{
    // Properties whose difference changes what the application can read or write.
    private static readonly HashSet<string> Breaking = new(StringComparer.Ordinal)
    {
        "type", "nullable", "generated", "identity", "definition", "columns", "references", "on delete", "on update",
        "values", "returns", "arguments", "body sha256", "check", "base type", "collation", "partition key", "partition of",
        "inherits", "privileges", "row security", "force row security", "command", "roles", "using", "with check",
    };

    // Objects that change what the application's statements see or do wherever they are, so one only there is an Error too.
    private static readonly HashSet<SchemaObjectKind> Governing = [SchemaObjectKind.Policy, SchemaObjectKind.Rule];

    public static IReadOnlyList<SchemaDifference> Compare(SchemaSnapshot reference, SchemaSnapshot difference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(difference);
        var theirs = difference.Objects.ToDictionary(Key);
        var ours = reference.Objects.ToDictionary(Key);
        var result = new List<(SchemaObject Order, SchemaDifference Difference)>();
        foreach (var item in reference.Objects)
        {
            if (!theirs.TryGetValue(Key(item), out var other))
            {
                result.Add((item, new SchemaDifference(item.Kind, item.Name, item.Table, SchemaChange.Missing, null, Summary(item), null, MissingSeverity(item.Kind))
                {
                    ReferenceObject = item,
                }));
                continue;
            }

            foreach (var change in Changes(item, other))
            {
                result.Add((item, change));
            }
        }

        foreach (var item in difference.Objects.Where(o => !ours.ContainsKey(Key(o))))
        {
            result.Add((item, new SchemaDifference(item.Kind, item.Name, item.Table, SchemaChange.Extra, null, null, Summary(item),
                Governing.Contains(item.Kind) ? SafetySeverity.Error : SafetySeverity.Warning)
            {
                DifferenceObject = item,
            }));
        }

        return result.OrderBy(r => r.Order, Comparer<SchemaObject>.Create(SchemaObject.Compare)).Select(r => r.Difference).ToList();
    }

    private static IEnumerable<SchemaDifference> Changes(SchemaObject reference, SchemaObject difference)
    {
        var names = reference.Properties.Select(a => a.Name).Concat(difference.Properties.Select(a => a.Name)).Distinct();
        foreach (var name in names)
        {
            var ours = reference[name];
            var theirs = difference[name];
            if (ours is null && theirs is null || ours is not null && theirs is not null && SchemaText.Normalize(ours) == SchemaText.Normalize(theirs))
            {
                continue;
            }

            yield return new SchemaDifference(reference.Kind, reference.Name, reference.Table, SchemaChange.Changed, name, ours, theirs, ChangeSeverity(reference.Kind, name))
            {
                ReferenceObject = reference,
                DifferenceObject = difference,
            };
        }

        if (reference.Table != difference.Table)
        {
            yield return new SchemaDifference(reference.Kind, reference.Name, reference.Table, SchemaChange.Changed, "table", reference.Table, difference.Table, SafetySeverity.Error);
        }
    }

    private static SafetySeverity MissingSeverity(SchemaObjectKind kind) =>
        kind is SchemaObjectKind.Index or SchemaObjectKind.EventTrigger ? SafetySeverity.Warning : SafetySeverity.Error;

    private static SafetySeverity ChangeSeverity(SchemaObjectKind kind, string property) =>
        property is "position" or "comment" ? SafetySeverity.Info
        : kind is not (SchemaObjectKind.Index or SchemaObjectKind.EventTrigger) && (Breaking.Contains(property) || Governing.Contains(kind)) ? SafetySeverity.Error
        : SafetySeverity.Warning;

    private static string Summary(SchemaObject item) =>
        string.Join("; ", item.Properties.Select(a => $"{a.Name}: {SchemaText.Normalize(a.Value).Replace('\n', ' ')}"));

    private static (SchemaObjectKind, string) Key(SchemaObject item) => (item.Kind, item.Name);
}
