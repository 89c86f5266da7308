using TradingBot.Migrations.Engine.Safety;
using TradingBot.Migrations.Engine.Schema;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Schema;

public sealed class SchemaComparerTests
{
    private const string PostgresHotfixes = """
        DROP INDEX orders_open_idx;
        CREATE INDEX accounts_name_idx ON accounts (name);
        ALTER TABLE orders ALTER COLUMN quantity SET DEFAULT 2;
        ALTER TABLE orders DROP CONSTRAINT quantity_positive;
        ALTER TABLE scratch ADD COLUMN left_behind integer;
        ALTER TABLE scratch ALTER COLUMN note TYPE varchar(20);
        ALTER TABLE orders VALIDATE CONSTRAINT orders_account_fk;
        """;

    private const string SqliteHotfixes = """
        DROP INDEX orders_open_idx;
        CREATE INDEX accounts_name_idx ON accounts (name);
        ALTER TABLE accounts ADD COLUMN left_behind integer;
        DROP VIEW open_orders;
        CREATE VIEW open_orders AS SELECT id FROM orders;
        """;

    [Fact]
    public void Postgres_hand_made_changes_are_the_only_differences_each_with_its_severity()
    {
        var (reference, changed) = Snapshots(SqlDialect.PostgreSql, PostgresHotfixes);

        var differences = SchemaComparer.Compare(reference, changed);

        Assert.Equal(
            [
                "Index public.accounts_name_idx extra Warning",
                "Column public.orders.quantity default Warning",
                "Constraint public.orders.orders_account_fk validated Warning",
                "Constraint public.orders.quantity_positive missing Error",
                "Index public.orders_open_idx missing Warning",
                "Column public.scratch.left_behind extra Warning",
                "Column public.scratch.note type Error",
            ],
            differences.Select(Line));
        var type = differences.Single(d => d.Property == "type");
        Assert.Equal(("text", "character varying(20)"), (type.ReferenceValue, type.DifferenceValue));
        Assert.Contains("CHECK (quantity > 0)", differences.Single(d => d.Change == SchemaChange.Missing && d.Kind == SchemaObjectKind.Constraint).ReferenceValue, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_hand_made_changes_are_the_only_differences_each_with_its_severity()
    {
        var (reference, changed) = Snapshots(SqlDialect.Sqlite, SqliteHotfixes);

        var differences = SchemaComparer.Compare(reference, changed);

        Assert.Equal(
            [
                "Column accounts.left_behind extra Warning",
                "Index accounts_name_idx extra Warning",
                "Index orders_open_idx missing Warning",
                "View open_orders definition Error",
            ],
            differences.Select(Line));
    }

    [Theory]
    [MemberData(nameof(SchemaExportTests.Dialects), MemberType = typeof(SchemaExportTests))]
    public void Drift_reads_the_other_way_round_as_the_mirror_image(SqlDialect dialect)
    {
        var (reference, changed) = Snapshots(dialect, dialect == SqlDialect.PostgreSql ? PostgresHotfixes : SqliteHotfixes);

        var forward = SchemaComparer.Compare(reference, changed);
        var backward = SchemaComparer.Compare(changed, reference);

        Assert.Equal(forward.Count, backward.Count);
        Assert.Equal(
            forward.Select(d => (d.Kind, d.Name, d.Property, Change: d.Change switch { SchemaChange.Missing => SchemaChange.Extra, SchemaChange.Extra => SchemaChange.Missing, _ => d.Change }, d.DifferenceValue, d.ReferenceValue)).Order(),
            backward.Select(d => (d.Kind, d.Name, d.Property, d.Change, d.ReferenceValue, d.DifferenceValue)).Order());
        Assert.Empty(SchemaComparer.Compare(reference, reference));
    }

    [Fact]
    public void A_column_in_another_place_is_only_information()
    {
        var reference = new SchemaSnapshot(SqlDialect.Sqlite, [Column("t.a", "1"), Column("t.b", "2")]);
        var moved = new SchemaSnapshot(SqlDialect.Sqlite, [Column("t.a", "2"), Column("t.b", "1")]);

        Assert.All(SchemaComparer.Compare(reference, moved), d => Assert.Equal((SafetySeverity.Info, "position"), (d.Severity, d.Description)));
    }

    private static SchemaObject Column(string name, string position) =>
        new(SchemaObjectKind.Column, name, "t", [new SchemaProperty("position", position), new SchemaProperty("type", "int")]);

    private static string Line(SchemaDifference d) => $"{d.Kind} {d.Name} {d.Description} {d.Severity}";

    private static (SchemaSnapshot Reference, SchemaSnapshot Changed) Snapshots(SqlDialect dialect, string hotfixes)
    {
        using var folder = new MigrationFolder().Sql("1.0.0", "all", SchemaExportTests.Fixture(dialect));
        using var reference = TestDatabase.Create(dialect);
        using var changed = TestDatabase.Create(dialect);
        reference.Migrate(folder);
        changed.Migrate(folder);
        changed.Execute(hotfixes);
        return (SchemaExportTests.Export(reference, folder), SchemaExportTests.Export(changed, folder));
    }
}
