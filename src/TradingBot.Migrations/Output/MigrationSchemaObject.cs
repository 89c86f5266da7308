using System.Collections.Specialized;
using TradingBot.Migrations.Engine.Configuration;
using EngineSchemaObject = TradingBot.Migrations.Engine.Schema.SchemaObject;
using SchemaText = TradingBot.Migrations.Engine.Schema.SchemaText;

namespace TradingBot.Migrations;

/// <summary>One object of a database's schema, as Export-MigrationSchema reads it from the catalogs.</summary>
public sealed class MigrationSchemaObject
{
    /// <summary>Extension, Schema, Enum, Domain, Sequence, Table, Column, Constraint, Index, Trigger, View or Function.</summary>
    public required string Kind { get; init; }

    /// <summary>The qualified name: schema.table, schema.table.column, schema.function(arguments); quoted where it needs it.</summary>
    public required string Name { get; init; }

    /// <summary>The table a column, constraint, index or trigger belongs to; empty for the others.</summary>
    public string? Table { get; init; }

    /// <summary>Property name → value as text (type, nullable, default, definition...), in the order the schema text lists them.</summary>
    public required OrderedDictionary Properties { get; init; }

    /// <summary>The object's block in the schema text.</summary>
    public required string Text { get; init; }

    public string? Environment { get; init; }

    public required string Target { get; init; }

    internal static MigrationSchemaObject From(EngineSchemaObject item, DatabaseTarget target)
    {
        var properties = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var property in item.Properties)
        {
            properties[property.Name] = property.Value;
        }

        return new MigrationSchemaObject
        {
            Kind = item.Kind.ToString(),
            Name = item.Name,
            Table = item.Table,
            Properties = properties,
            Text = SchemaText.Block(item),
            Environment = target.Environment,
            Target = target.DisplayName,
        };
    }
}
