using TradingBot.Migrations.Engine.History;
using TradingBot.Migrations.Engine.Schema;
using TradingBot.Migrations.Engine.Sql;
using TradingBot.Migrations.Engine.Tests.Support;

namespace TradingBot.Migrations.Engine.Tests.Schema;

public sealed class SchemaExportTests
{
    public static TheoryData<SqlDialect> Dialects => [SqlDialect.PostgreSql, SqlDialect.Sqlite];

    internal static string Fixture(SqlDialect dialect) => dialect == SqlDialect.PostgreSql ? SchemaFixtures.Postgres : SchemaFixtures.Sqlite;

    internal static SchemaSnapshot Export(TestDatabase database, MigrationFolder folder, Func<EngineSettings, EngineSettings>? configure = null) =>
        MigrationUseCases.ExportSchema((configure ?? (s => s))(database.Settings(folder)), CancellationToken.None);

    [Fact]
    public void Postgres_export_reads_every_kind_of_object_from_the_catalogs()
    {
        using var folder = new MigrationFolder().Sql("1.0.0", "all", SchemaFixtures.Postgres);
        using var database = TestDatabase.Create(SqlDialect.PostgreSql);
        database.Migrate(folder);

        var text = Export(database, folder).ToText();

        Assert.Contains("extension citext\n  version: ", text, StringComparison.Ordinal);
        Assert.Contains("\nschema billing\n", text, StringComparison.Ordinal);
        Assert.Contains("enum public.side\n  values: 'buy'\n    'sell'\n", text, StringComparison.Ordinal);
        Assert.Contains("domain public.positive_price\n  base type: numeric(12,2)\n  nullable: no\n  default: 1\n  check: CHECK (VALUE > 0::numeric)\n", text, StringComparison.Ordinal);
        Assert.Contains("sequence billing.invoice_numbers\n  type: bigint\n  start: 1000\n  increment: 10\n", text, StringComparison.Ordinal);
        Assert.Contains("  owned by: public.orders.id\n", text, StringComparison.Ordinal);
        Assert.Contains("table billing.ledger\n  partition key: RANGE (at)\n", text, StringComparison.Ordinal);
        Assert.Contains("table billing.ledger_2026\n  partition of: billing.ledger FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')\n", text, StringComparison.Ordinal);
        Assert.Contains("table public.scratch\n  persistence: unlogged\n", text, StringComparison.Ordinal);
        Assert.Contains("column public.accounts.id on public.accounts\n  position: 1\n  type: bigint\n  nullable: no\n  identity: always\n", text, StringComparison.Ordinal);
        Assert.Contains("column public.accounts.name on public.accounts\n  position: 3\n  type: text\n  nullable: yes\n  collation: pg_catalog.\"C\"\n", text, StringComparison.Ordinal);
        Assert.Contains("  default: nextval('public.orders_id_seq'::regclass)\n", text, StringComparison.Ordinal);
        Assert.Contains("  generated: price::numeric * quantity::numeric stored\n", text, StringComparison.Ordinal);
        Assert.Contains("constraint public.orders.orders_account_fk on public.orders\n  type: foreign key\n  definition: FOREIGN KEY (account_id) REFERENCES public.accounts(id) ON DELETE CASCADE\n  validated: no\n", text, StringComparison.Ordinal);
        Assert.Contains("constraint public.accounts.accounts_email_key on public.accounts\n  type: unique\n", text, StringComparison.Ordinal);
        Assert.Contains("constraint public.orders.quantity_positive on public.orders\n  type: check\n  definition: CHECK (quantity > 0)\n", text, StringComparison.Ordinal);
        Assert.Contains("index public.orders_open_idx on public.orders\n  definition: CREATE INDEX orders_open_idx ON public.orders USING btree (account_id, placed_at DESC) WHERE side = 'buy'::public.side\n  valid: yes\n", text, StringComparison.Ordinal);
        Assert.Contains("index public.accounts_lower_name_idx on public.accounts\n  definition: CREATE UNIQUE INDEX", text, StringComparison.Ordinal);
        Assert.DoesNotContain("index public.orders_pkey", text, StringComparison.Ordinal);
        Assert.Contains("trigger public.orders.orders_touch on public.orders\n  definition: CREATE TRIGGER orders_touch BEFORE UPDATE ON public.orders FOR EACH ROW EXECUTE FUNCTION public.touch()\n", text, StringComparison.Ordinal);
        Assert.Contains("view public.open_orders\n  definition: SELECT orders.id,\n", text, StringComparison.Ordinal);
        Assert.Contains("view public.order_totals\n  kind: materialized\n", text, StringComparison.Ordinal);
        Assert.Contains("function public.add(a integer, b integer)\n  kind: function\n  returns: integer\n  language: sql\n  volatility: immutable\n  body sha256: ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("citext(", text, StringComparison.Ordinal);
        Assert.DoesNotContain("oid", text.Replace("void", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_export_reads_tables_columns_constraints_indexes_views_and_triggers()
    {
        using var folder = new MigrationFolder().Sql("1.0.0", "all", SchemaFixtures.Sqlite);
        using var database = TestDatabase.Create(SqlDialect.Sqlite);
        database.Migrate(folder);

        var text = Export(database, folder).ToText();

        Assert.StartsWith("-- schema of a sqlite database", text, StringComparison.Ordinal);
        Assert.Contains("\ntable orders\n", text, StringComparison.Ordinal);
        Assert.Contains("column orders.quantity on orders\n  position: 4\n  type: INTEGER\n  nullable: no\n  default: 1\n", text, StringComparison.Ordinal);
        Assert.Contains("column orders.total on orders\n  position: 5\n  type: REAL\n  nullable: yes\n  generated: virtual\n", text, StringComparison.Ordinal);
        Assert.Contains("constraint orders.primary_key on orders\n  type: primary key\n  definition: PRIMARY KEY (id)\n", text, StringComparison.Ordinal);
        Assert.Contains("constraint accounts.unique_email on accounts\n  type: unique\n  definition: UNIQUE (email)\n", text, StringComparison.Ordinal);
        Assert.Contains("constraint orders.fk_account_id on orders\n  type: foreign key\n  definition: FOREIGN KEY (account_id) REFERENCES accounts (id) ON UPDATE NO ACTION ON DELETE CASCADE\n", text, StringComparison.Ordinal);
        Assert.Contains("constraint orders.quantity_positive on orders\n  type: check\n  definition: CHECK (quantity > 0)\n", text, StringComparison.Ordinal);
        Assert.Contains("  type: check\n  definition: CHECK (side IN ('buy', 'sell'))\n", text, StringComparison.Ordinal);
        Assert.Contains("index orders_open_idx on orders\n  definition: CREATE INDEX orders_open_idx ON orders (account_id, quantity DESC) WHERE side = 'buy'\n", text, StringComparison.Ordinal);
        Assert.Contains("view open_orders\n  definition: CREATE VIEW open_orders AS SELECT id, account_id FROM orders WHERE side = 'buy'\n", text, StringComparison.Ordinal);
        Assert.Contains("trigger orders_touch on orders\n  definition: CREATE TRIGGER orders_touch AFTER UPDATE ON orders BEGIN UPDATE accounts SET name = name WHERE id = NEW.account_id; END\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sqlite_", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public void Export_leaves_out_the_history_table_and_its_repair_log_whatever_they_are_called(SqlDialect dialect)
    {
        using var folder = new MigrationFolder().Table("1.0.0", "trades");
        using var database = TestDatabase.Create(dialect);
        database.Migrate(folder, configure: s => s with { HistoryTable = new HistoryTableName("deploys") });
        database.Execute("CREATE TABLE deploys_repairs (id integer); CREATE TABLE schema_migrations (id integer)");

        var text = Export(database, folder, s => s with { HistoryTable = new HistoryTableName("deploys") }).ToText();

        Assert.Contains("table " + (dialect == SqlDialect.PostgreSql ? "public." : string.Empty) + "trades\n", text, StringComparison.Ordinal);
        Assert.Contains("schema_migrations", text, StringComparison.Ordinal);
        Assert.DoesNotContain("deploys", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public void The_same_migrations_give_the_same_bytes_on_two_databases_and_read_back_unchanged(SqlDialect dialect)
    {
        using var folder = new MigrationFolder().Sql("1.0.0", "all", Fixture(dialect));
        using var first = TestDatabase.Create(dialect);
        using var second = TestDatabase.Create(dialect);
        first.Migrate(folder);
        second.Migrate(folder);

        var text = Export(first, folder).ToText();

        Assert.Equal(text, Export(second, folder).ToText());
        Assert.Equal(text, Export(first, folder).ToText());
        Assert.Equal(text, SchemaText.Parse(text, "schema.txt").ToText());
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" \n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_export_is_the_same_whatever_the_search_path_of_the_connection()
    {
        using var folder = new MigrationFolder().Sql("1.0.0", "all", SchemaFixtures.Postgres);
        using var database = TestDatabase.Create(SqlDialect.PostgreSql);
        database.Migrate(folder);
        var elsewhere = new Npgsql.NpgsqlConnectionStringBuilder(database.Value) { SearchPath = "billing, public" }.ConnectionString;

        var history = new HistoryTableName(HistoryTableName.DefaultTable, "public");

        var text = Export(database, folder, s => s with { HistoryTable = history }).ToText();

        Assert.Equal(text, Export(database, folder, s => s with
        {
            Target = TradingBot.Migrations.Engine.Configuration.DatabaseTargetParser.Parse(elsewhere, folder.Path),
            HistoryTable = history,
        }).ToText());
    }

    [Fact]
    public void Sqlite_layout_and_comments_in_the_sql_are_no_difference()
    {
        using var folder = new MigrationFolder().Sql("1.0.0", "all", "CREATE TABLE t (a int CHECK (a > 0));CREATE INDEX i ON t (a);");
        using var other = new MigrationFolder().Sql("1.0.0", "all", "CREATE TABLE t (a int CHECK (  a > 0 ) /* positive */);\n-- an index\nCREATE   INDEX i\n  ON t(a) ;");
        using var first = TestDatabase.Create(SqlDialect.Sqlite);
        using var second = TestDatabase.Create(SqlDialect.Sqlite);
        first.Migrate(folder);
        second.Migrate(other);

        Assert.Equal(Export(first, folder).ToText(), Export(second, other).ToText());
    }

    [Fact]
    public void Export_of_a_sqlite_file_that_does_not_exist_is_empty_and_creates_nothing()
    {
        using var folder = new MigrationFolder();
        using var database = TestDatabase.Create(SqlDialect.Sqlite);

        var snapshot = Export(database, folder);

        Assert.Empty(snapshot.Objects);
        Assert.False(File.Exists(database.SqliteFile));
    }
}
