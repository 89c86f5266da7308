using TradingBot.Migrations.Engine.Schema;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Schema;

/// <summary>Grants, comments, row-level security, rules, event triggers and inheritance on real PostgreSQL.</summary>
// Makes scratch databases (replays): in their collection, so the tests that count what is left over see none of these.
[Collection("Scratch databases")]
public sealed class PostgresAccessExportTests
{
    private static readonly string[] NewProperties =
        ["privileges:", "default privileges:", "comment:", "row security:", "inherits:", "options:", "replica identity:", "\npolicy ", "\nrule ", "\nevent_trigger "];

    private static string ExportOf(params string[] scripts)
    {
        using var folder = new MigrationFolder();
        for (var i = 0; i < scripts.Length; i++)
        {
            folder.Sql($"1.0.{i}", $"step{i}", scripts[i]);
        }

        using var database = TestDatabase.Create(SqlDialect.PostgreSql);
        database.Migrate(folder);
        return SchemaExportTests.Export(database, folder).ToText();
    }

    [Fact]
    public void Export_reads_grants_comments_row_security_policies_rules_event_triggers_and_inheritance()
    {
        var text = ExportOf(SchemaFixtures.Postgres, SchemaFixtures.PostgresAccess);

        Assert.Contains("schema billing\n  privileges: GRANT USAGE TO tbm_reader\n  default privileges: FOR ROLE postgres GRANT SELECT ON TABLES TO tbm_reader\n  comment: money\n", text, StringComparison.Ordinal);
        Assert.Contains("\nschema public\n\n", text, StringComparison.Ordinal);
        Assert.Contains("  privileges: GRANT USAGE TO tbm_reader WITH GRANT OPTION\n", text, StringComparison.Ordinal);
        Assert.Contains("table public.orders\n  row security: yes\n  force row security: yes\n  privileges: GRANT SELECT, UPDATE TO tbm_reader\n  comment: one row per order\n", text, StringComparison.Ordinal);
        Assert.Contains("column public.accounts.email on public.accounts\n  position: 2\n  type: public.citext\n  nullable: no\n  privileges: GRANT SELECT TO tbm_reader\n", text, StringComparison.Ordinal);
        Assert.Contains("  nullable: no\n  comment: buy or sell\n", text, StringComparison.Ordinal);
        Assert.Contains("  validated: yes\n  comment: no empty orders\n", text, StringComparison.Ordinal);
        Assert.Contains("  valid: yes\n  comment: open buys\n", text, StringComparison.Ordinal);
        Assert.Contains("  privileges: REVOKE EXECUTE FROM PUBLIC\n  comment: adds\n", text, StringComparison.Ordinal);
        Assert.Contains("policy public.orders.buys_only on public.orders\n  type: restrictive\n  command: ALL\n  roles: PUBLIC\n  using: side = 'buy'::public.side\n", text, StringComparison.Ordinal);
        Assert.Contains("policy public.orders.own_orders on public.orders\n  type: permissive\n  command: UPDATE\n  roles: tbm_reader\n  using: account_id > 0\n  with check: quantity < 100\n", text, StringComparison.Ordinal);
        Assert.Contains("rule public.scratch.scratch_keep on public.scratch\n  definition: CREATE RULE scratch_keep AS\n        ON DELETE TO public.scratch DO INSTEAD NOTHING;\n", text, StringComparison.Ordinal);
        Assert.Contains("event_trigger note_ddl\n  event: ddl_command_end\n  tags: ALTER TABLE\n    CREATE TABLE\n  function: public.note_ddl()\n", text, StringComparison.Ordinal);
        Assert.Contains("table public.order_audit\n  inherits: public.audit_base\n  options: fillfactor=70\n  replica identity: full\n", text, StringComparison.Ordinal);
        Assert.Equal(text, SchemaText.Parse(text, "schema.txt").ToText());
    }

    [Fact]
    public void A_schema_without_any_of_them_has_none_of_their_lines_so_its_bytes_are_as_before()
    {
        var text = ExportOf(SchemaFixtures.Postgres);

        Assert.All(NewProperties, p => Assert.DoesNotContain(p, text, StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_grants_and_policies_give_the_same_bytes_on_two_databases_and_in_a_replay()
    {
        using var folder = new MigrationFolder().Sql("1.0.0", "all", SchemaFixtures.Postgres).Sql("1.0.1", "access", SchemaFixtures.PostgresAccess);
        using var first = TestDatabase.Create(SqlDialect.PostgreSql);
        using var second = TestDatabase.Create(SqlDialect.PostgreSql);
        first.Migrate(folder);
        second.Migrate(folder);

        var text = SchemaExportTests.Export(first, folder).ToText();

        Assert.Equal(text, SchemaExportTests.Export(second, folder).ToText());
        Assert.Equal(text, MigrationUseCases.ReplaySchema(first.Settings(folder), CancellationToken.None).ToText());
    }

    [Fact]
    public void Hand_made_grants_comments_policies_and_rules_are_reported_with_their_severity()
    {
        using var folder = new MigrationFolder().Sql("1.0.0", "all", SchemaFixtures.Postgres).Sql("1.0.1", "access", SchemaFixtures.PostgresAccess);
        using var database = TestDatabase.Create(SqlDialect.PostgreSql);
        database.Migrate(folder);
        database.Execute("""
            GRANT DELETE ON orders TO tbm_reader;
            COMMENT ON COLUMN orders.side IS 'side of the book';
            ALTER TABLE orders NO FORCE ROW LEVEL SECURITY;
            DROP POLICY buys_only ON orders;
            CREATE RULE accounts_keep AS ON DELETE TO accounts DO INSTEAD NOTHING;
            ALTER EVENT TRIGGER note_ddl DISABLE;
            ALTER TABLE order_audit NO INHERIT audit_base;
            """);

        var drift = MigrationUseCases.LiveDrift(database.Settings(folder), null, CancellationToken.None);

        Assert.Equal(
            [
                "Rule public.accounts.accounts_keep extra Error",
                "Table public.order_audit inherits Error",
                "Table public.orders force row security Error",
                "Table public.orders privileges Error",
                "Column public.orders.side comment Info",
                "Policy public.orders.buys_only missing Error",
                "EventTrigger note_ddl enabled Warning",
            ],
            drift.Differences.Select(d => $"{d.Kind} {d.Name} {d.Description} {d.Severity}"));
        var privileges = drift.Differences.Single(d => d.Property == "privileges");
        Assert.Equal(("GRANT SELECT, UPDATE TO tbm_reader", "GRANT DELETE, SELECT, UPDATE TO tbm_reader"), (privileges.ReferenceValue, privileges.DifferenceValue));
    }
}
