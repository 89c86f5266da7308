using EngineDifference = TradingBot.Migrations.Engine.Schema.SchemaDifference;

namespace TradingBot.Migrations;

/// <summary>One way a schema differs from the reference it is compared with (Test-MigrationDrift).</summary>
/// <remarks>Two faces (see <see cref="TypedMembers"/>): pwsh sees Severity typed; ConvertTo-Json, text.</remarks>
public sealed class MigrationSchemaDifference(SafetySeverity severity)
{
    /// <summary>Table, Column, Constraint, Index, View, Function, Trigger, Sequence, Enum, Domain, Schema or Extension.</summary>
    public required string ObjectKind { get; init; }

    public required string Name { get; init; }

    /// <summary>The table of a column, constraint, index or trigger.</summary>
    public string? Table { get; init; }

    /// <summary>"missing" (only in the reference), "extra" (only in the database compared), or the property that differs (type, default, definition...).</summary>
    public required string Difference { get; init; }

    /// <summary>The reference's value (for a missing object: all its properties); empty where the reference has none.</summary>
    public string? ReferenceValue { get; init; }

    /// <summary>The compared database's value (for an extra object: all its properties); empty where it has none.</summary>
    public string? DifferenceValue { get; init; }

    /// <summary>Error (what the application may rely on: a missing table, column or constraint, a changed type), Warning (extra objects, indexes, defaults) or Info (a column's position).</summary>
    public string Severity => TypedSeverity.ToString();

    /// <summary>What the schema is compared with: a replay of the migrations, a schema file, or a database.</summary>
    public required string Reference { get; init; }

    /// <summary>The database compared (never a password), or the replay for a schema file check.</summary>
    public required string Target { get; init; }

    internal SafetySeverity TypedSeverity { get; } = severity;

    internal static MigrationSchemaDifference From(EngineDifference difference, string reference, string target) => new(difference.Severity.ToOutput())
    {
        ObjectKind = difference.Kind.ToString(),
        Name = difference.Name,
        Table = difference.Table,
        Difference = difference.Description,
        ReferenceValue = difference.ReferenceValue,
        DifferenceValue = difference.DifferenceValue,
        Reference = reference,
        Target = target,
    };
}
