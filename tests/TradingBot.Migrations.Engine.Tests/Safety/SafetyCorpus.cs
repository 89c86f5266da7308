using TradingBot.Migrations.Engine.Sql;

namespace TradingBot.Migrations.Engine.Tests.Safety;

/// <summary>
/// One corpus case: a migration and its label, the exact set of unsuppressed rule ids a perfect linter would produce
/// (<see cref="Expected"/>). <see cref="Actual"/>, when set, is what the linter reports today instead: a known miss, kept
/// in the corpus so the precision and recall in the Safety README count it (SafetyPrecisionRecallTests).
/// </summary>
public sealed record CorpusCase(string Name, string Up, string Expected, string? Down = null, SqlDialect Dialect = SqlDialect.PostgreSql, bool Safe = false, string[]? Prior = null, string? Actual = null)
{
    public override string ToString() => Name;
}

/// <summary>
/// The safety corpus. Cases marked Safe are code that looks dangerous to a naive linter but is not;
/// they must produce no finding at all. The corpus runs with every rule except missing-down (each case
/// would otherwise carry it); missing-down has its own tests.
/// </summary>
public static partial class SafetyCorpus
{
    private const string Lt = "SET lock_timeout = '5s';\n";
    private const string None = "-- transaction: none\n";

    private static CorpusCase Safe(string name, string up, string? down = null, SqlDialect dialect = SqlDialect.PostgreSql, string[]? prior = null) =>
        new(name, up, string.Empty, down, dialect, Safe: true, Prior: prior);

    private static readonly string[] UsersTable = ["CREATE TABLE users (id int PRIMARY KEY, name varchar(200), qty int);"];

    private static readonly string[] VenueChecked =
    [
        "ALTER TABLE trades ADD CONSTRAINT venue_nn CHECK (venue IS NOT NULL) NOT VALID;",
        "ALTER TABLE trades VALIDATE CONSTRAINT venue_nn;",
    ];

    private static CorpusCase Bad(string name, string up, string expected, string? down = null, SqlDialect dialect = SqlDialect.PostgreSql) =>
        new(name, up, expected, down, dialect);

    private const SqlDialect Lite = SqlDialect.Sqlite;

    public static readonly IReadOnlyList<CorpusCase> Cases = [.. FirstRound(), .. SecondRound()];

    private static CorpusCase[] FirstRound() =>
    [
        // ---- destructive DDL ----
        Bad("drop_database", "DROP DATABASE trading;", "drop-database not-allowed-in-transaction"),
        Bad("drop_database_outside_transaction", None + "DROP DATABASE IF EXISTS trading_old;", "drop-database"),
        Bad("drop_schema_cascade", Lt + "DROP SCHEMA reporting CASCADE;", "drop-schema irreversible-without-down"),
        Bad("drop_schema_plain", "DROP SCHEMA IF EXISTS reporting;", "drop-schema"),
        Bad("drop_table", Lt + "DROP TABLE trades;", "drop-table irreversible-without-down"),
        Bad("drop_table_without_lock_timeout", "DROP TABLE IF EXISTS trades;", "drop-table irreversible-without-down missing-lock-timeout"),
        Bad("drop_two_tables_one_new", Lt + "CREATE TABLE tmp_a (id int);\nDROP TABLE tmp_a, orders;", "drop-table irreversible-without-down"),
        Bad("drop_table_sqlite", "DROP TABLE trades;", "drop-table irreversible-without-down", dialect: Lite),
        Bad("drop_table_bracket_sqlite", "DROP TABLE [order items];", "drop-table irreversible-without-down", dialect: Lite),
        Bad("drop_column", Lt + "ALTER TABLE trades DROP COLUMN fee;", "drop-column irreversible-without-down"),
        Bad("drop_column_without_keyword", Lt + "ALTER TABLE trades DROP fee;", "drop-column irreversible-without-down"),
        Bad("drop_column_if_exists_quoted", Lt + "ALTER TABLE \"Trades\" DROP COLUMN IF EXISTS \"Fee\" CASCADE;", "drop-column irreversible-without-down"),
        Bad("drop_column_sqlite", "ALTER TABLE trades DROP COLUMN fee;", "drop-column irreversible-without-down", dialect: Lite),
        Bad("drop_column_with_down", Lt + "ALTER TABLE trades DROP COLUMN fee;", "drop-column", down: Lt + "ALTER TABLE trades ADD COLUMN fee numeric;"),
        Bad("truncate", Lt + "TRUNCATE trades;", "truncate irreversible-without-down"),
        Bad("truncate_table_keyword", Lt + "TRUNCATE TABLE ONLY trades RESTART IDENTITY;", "truncate irreversible-without-down"),
        Bad("truncate_cascade", Lt + "TRUNCATE accounts CASCADE;", "truncate-cascade irreversible-without-down"),
        Bad("delete_without_where", "DELETE FROM audit_log;", "delete-without-where irreversible-without-down", down: null),
        Bad("delete_without_where_sqlite", "DELETE FROM audit_log;", "delete-without-where irreversible-without-down", dialect: Lite),
        Bad("delete_where_only_in_subquery", "DELETE FROM t USING (SELECT id FROM x WHERE x.a = 1) s;", "delete-without-where irreversible-without-down"),
        Bad("cte_delete_without_where", "WITH doomed AS (SELECT id FROM trades WHERE closed) DELETE FROM trades;", "delete-without-where irreversible-without-down"),
        Bad("update_without_where", "UPDATE accounts SET balance = 0;", "update-without-where"),
        Bad("update_without_where_sqlite", "UPDATE accounts SET balance = 0;", "update-without-where", dialect: Lite),
        Bad("update_where_only_in_subquery", "UPDATE t SET a = (SELECT max(b) FROM u WHERE u.id = 1);", "update-without-where"),
        Bad("delete_with_where_and_truncate_no_down", "DELETE FROM trades WHERE created_at < '2020-01-01';\nTRUNCATE sessions;", "truncate irreversible-without-down missing-lock-timeout"),

        // ---- columns ----
        Bad("add_not_null_without_default", Lt + "ALTER TABLE trades ADD COLUMN venue text NOT NULL;", "add-not-null-without-default"),
        Bad("add_not_null_without_default_sqlite", "ALTER TABLE trades ADD COLUMN desk TEXT NOT NULL;", "sqlite-alter-table-limit", dialect: Lite),
        Bad("add_column_volatile_default", Lt + "ALTER TABLE trades ADD COLUMN token uuid DEFAULT gen_random_uuid();", "volatile-default missing-statement-timeout"),
        Bad("add_column_clock_timestamp", Lt + "ALTER TABLE trades ADD COLUMN seen timestamptz NOT NULL DEFAULT clock_timestamp();", "volatile-default missing-statement-timeout"),
        Bad("add_bigserial_column", Lt + "ALTER TABLE trades ADD COLUMN seq bigserial;", "volatile-default missing-statement-timeout"),
        Bad("add_identity_column", Lt + "ALTER TABLE trades ADD COLUMN id2 bigint GENERATED ALWAYS AS IDENTITY;", "volatile-default missing-statement-timeout"),
        Bad("add_generated_stored", Lt + "ALTER TABLE trades ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED;", "add-generated-stored-column missing-statement-timeout"),
        Bad("change_column_type", Lt + "ALTER TABLE trades ALTER COLUMN price TYPE numeric(20,8);", "change-column-type missing-statement-timeout"),
        Bad("change_column_type_set_data", Lt + "ALTER TABLE trades ALTER price SET DATA TYPE bigint USING price::bigint;", "change-column-type missing-statement-timeout"),
        new("narrow_varchar_known_type", Lt + "ALTER TABLE users ALTER COLUMN name TYPE varchar(50);", "change-column-type missing-statement-timeout irreversible-without-down", Prior: UsersTable),
        new("int_to_bigint_known_type_rewrites", Lt + "ALTER TABLE users ALTER COLUMN qty TYPE bigint;", "change-column-type missing-statement-timeout", Prior: UsersTable),
        Safe("safe_validate_then_set_not_null_a_migration_after_not_valid", Lt + "ALTER TABLE trades VALIDATE CONSTRAINT venue_nn;\nALTER TABLE trades ALTER COLUMN venue SET NOT NULL;", prior: [VenueChecked[0]]),
        Bad("set_not_null", Lt + "ALTER TABLE trades ALTER COLUMN venue SET NOT NULL;", "set-not-null missing-statement-timeout"),
        Bad("set_not_null_check_not_yet_validated", Lt + "ALTER TABLE trades ADD CONSTRAINT venue_nn CHECK (venue IS NOT NULL) NOT VALID;\nALTER TABLE trades ALTER COLUMN venue SET NOT NULL;", "set-not-null missing-statement-timeout"),
        Bad("drop_not_null", Lt + "ALTER TABLE trades ALTER COLUMN venue DROP NOT NULL;", "drop-not-null"),
        Bad("rename_column", Lt + "ALTER TABLE trades RENAME COLUMN qty TO quantity;", "rename-column"),
        Bad("rename_column_sqlite", "ALTER TABLE trades RENAME COLUMN qty TO quantity;", "rename-column", dialect: Lite),
        Bad("rename_column_without_keyword", Lt + "ALTER TABLE trades RENAME qty TO quantity;", "rename-column"),
        Bad("rename_table", Lt + "ALTER TABLE trades RENAME TO fills;", "rename-table"),
        Bad("rename_table_sqlite", "ALTER TABLE `trades` RENAME TO fills;", "rename-table", dialect: Lite),
        Bad("rename_schema", Lt + "ALTER SCHEMA reporting RENAME TO analytics;", "rename-schema"),
        Bad("rename_enum_value", "ALTER TYPE order_side RENAME VALUE 'buy' TO 'bid';", "rename-enum-value"),

        // ---- indexes ----
        Bad("create_index", Lt + "CREATE INDEX trades_symbol_idx ON trades (symbol);", "create-index-non-concurrently missing-statement-timeout"),
        Bad("create_unique_index_if_not_exists", Lt + "CREATE UNIQUE INDEX IF NOT EXISTS trades_ref ON public.trades USING btree (ref);", "create-index-non-concurrently missing-statement-timeout"),
        Bad("create_index_no_lock_timeout", "CREATE INDEX ON trades (symbol);", "create-index-non-concurrently missing-lock-timeout missing-statement-timeout"),
        Bad("create_index_concurrently_in_transaction", "CREATE INDEX CONCURRENTLY trades_symbol_idx ON trades (symbol);", "concurrent-index-in-transaction"),
        Bad("create_index_concurrently_inside_begin", None + "BEGIN;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON trades (symbol);\nCOMMIT;", "concurrent-index-in-transaction"),
        Bad("create_index_concurrently_not_idempotent", None + "CREATE INDEX CONCURRENTLY trades_symbol_idx ON trades (symbol);", "non-idempotent-ddl"),
        Bad("drop_index", Lt + "DROP INDEX trades_symbol_idx;", "drop-index-non-concurrently"),
        Bad("drop_index_concurrently_in_transaction", "DROP INDEX CONCURRENTLY IF EXISTS trades_symbol_idx;", "concurrent-index-in-transaction"),
        Bad("reindex", "REINDEX INDEX trades_symbol_idx;", "reindex-non-concurrently missing-lock-timeout missing-statement-timeout"),
        Bad("reindex_table", Lt + "REINDEX TABLE trades;", "reindex-non-concurrently missing-statement-timeout"),
        Bad("reindex_concurrently_in_transaction", "REINDEX INDEX CONCURRENTLY trades_symbol_idx;", "concurrent-index-in-transaction"),

        // ---- constraints ----
        Bad("add_foreign_key", Lt + "ALTER TABLE trades ADD CONSTRAINT trades_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id);", "add-foreign-key-validating missing-statement-timeout"),
        Bad("add_column_with_references", Lt + "ALTER TABLE trades ADD COLUMN account_id bigint REFERENCES accounts (id);", "add-foreign-key-validating missing-statement-timeout"),
        Bad("add_check", Lt + "ALTER TABLE trades ADD CONSTRAINT qty_positive CHECK (qty > 0);", "add-check-constraint-validating missing-statement-timeout"),
        Bad("add_check_unnamed", Lt + "ALTER TABLE trades ADD CHECK (qty > 0);", "add-check-constraint-validating missing-statement-timeout"),
        Bad("validate_in_same_transaction", Lt + "ALTER TABLE trades ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID;\nALTER TABLE trades VALIDATE CONSTRAINT qty_positive;", "validate-in-same-transaction"),
        Bad("add_unique", Lt + "ALTER TABLE trades ADD CONSTRAINT trades_ref_key UNIQUE (ref);", "add-unique-constraint missing-statement-timeout"),
        Bad("add_column_unique", Lt + "ALTER TABLE trades ADD COLUMN ref text UNIQUE;", "add-unique-constraint missing-statement-timeout"),
        Bad("add_primary_key", Lt + "ALTER TABLE trades ADD PRIMARY KEY (id);", "add-primary-key-constraint missing-statement-timeout"),
        Bad("add_exclusion", Lt + "ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);", "add-exclusion-constraint missing-statement-timeout"),
        Bad("domain_constraint", "ALTER DOMAIN positive_qty ADD CONSTRAINT qty_check CHECK (VALUE > 0);", "domain-constraint missing-lock-timeout"),
        Bad("domain_set_not_null", Lt + "ALTER DOMAIN positive_qty SET NOT NULL;", "domain-constraint"),

        // ---- locks, partitions, maintenance ----
        Bad("detach_partition", Lt + "ALTER TABLE trades DETACH PARTITION trades_2020;", "detach-partition-non-concurrently"),
        Bad("vacuum_full", None + "VACUUM FULL trades;", "vacuum-full-or-cluster missing-lock-timeout missing-statement-timeout"),
        Bad("vacuum_full_options", Lt + "VACUUM (FULL, ANALYZE) trades;", "vacuum-full-or-cluster missing-statement-timeout not-allowed-in-transaction"),
        Bad("cluster", Lt + "CLUSTER trades USING trades_pkey;", "vacuum-full-or-cluster missing-statement-timeout"),
        Bad("lock_table", "LOCK TABLE trades IN ACCESS EXCLUSIVE MODE;", "explicit-lock-table missing-lock-timeout"),
        Bad("missing_lock_timeout_add_column", "ALTER TABLE trades ADD COLUMN note text;", "missing-lock-timeout"),
        Bad("lock_timeout_zero_is_unset", "SET lock_timeout = 0;\nALTER TABLE trades ADD COLUMN note text;", "missing-lock-timeout"),
        Bad("lock_timeout_zero_string_is_unset", "SET lock_timeout TO '0s';\nALTER TABLE trades ADD COLUMN note text;", "missing-lock-timeout"),
        Bad("lock_timeout_set_after_ddl", "ALTER TABLE trades ADD COLUMN note text;\nSET lock_timeout = '5s';", "missing-lock-timeout"),
        Bad("lock_timeout_reset_before_ddl", Lt + "RESET lock_timeout;\nALTER TABLE trades ADD COLUMN note text;", "missing-lock-timeout"),
        Bad("set_local_lock_timeout_outside_transaction", None + "SET LOCAL lock_timeout = '5s';\nALTER TABLE IF EXISTS trades ADD COLUMN IF NOT EXISTS note text;", "missing-lock-timeout"),
        Bad("create_trigger_on_existing_table", "CREATE TRIGGER trades_audit AFTER INSERT ON trades FOR EACH ROW EXECUTE FUNCTION audit();", "missing-lock-timeout"),

        // ---- transactions ----
        Bad("begin_without_commit", None + "BEGIN;\nCREATE TABLE a (id int);", "uncommitted-transaction"),
        Bad("begin_without_commit_sqlite", "-- transaction: none\nBEGIN IMMEDIATE;\nCREATE TABLE a (id INTEGER);", "uncommitted-transaction", dialect: Lite),
        Bad("begin_inside_migration_transaction", "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;", "transaction-nesting transaction-control-in-migration"),
        Bad("begin_inside_begin_block", None + "BEGIN;\nBEGIN;\nCREATE TABLE IF NOT EXISTS a (id int);\nCOMMIT;\nCOMMIT;", "transaction-nesting"),
        Bad("begin_inside_migration_transaction_sqlite", "BEGIN TRANSACTION;\nCREATE TABLE a (id INTEGER);\nEND TRANSACTION;", "transaction-nesting transaction-control-in-migration", dialect: Lite),

        // What Invoke-Migration refuses (TransactionControlInMigration) is an Error; TransactionControlAgreementTests holds the two together.
        Bad("commit_inside_migration_transaction", "CREATE TABLE a (id int);\nCOMMIT;", "transaction-control-in-migration"),
        Bad("commit_and_chain_inside_migration_transaction", "CREATE TABLE a (id int);\nCOMMIT AND CHAIN;", "transaction-control-in-migration"),
        Bad("end_inside_migration_transaction", "CREATE TABLE a (id int);\nEND;", "transaction-control-in-migration"),
        Bad("rollback_inside_migration_transaction", "CREATE TABLE a (id int);\nROLLBACK;", "transaction-control-in-migration"),
        Bad("abort_inside_migration_transaction", "CREATE TABLE a (id int);\nABORT;", "transaction-control-in-migration"),
        Bad("prepare_transaction_inside_migration_transaction", "CREATE TABLE a (id int);\nPREPARE TRANSACTION 'a';", "transaction-control-in-migration"),
        Bad("commit_inside_migration_transaction_sqlite", "CREATE TABLE a (id INTEGER);\nCOMMIT;", "transaction-control-in-migration", dialect: Lite),
        Bad("rollback_inside_migration_transaction_sqlite", "CREATE TABLE a (id INTEGER);\nROLLBACK TRANSACTION;", "transaction-control-in-migration", dialect: Lite),
        Bad("commit_inside_down_transaction", "CREATE TABLE a (id int);", "transaction-control-in-migration down-drops-new-data", down: "DROP TABLE a;\nCOMMIT;"),
        Bad("commit_without_begin_outside_migration_transaction", None + "CREATE TABLE IF NOT EXISTS a (id int);\nCOMMIT;", "transaction-nesting"),
        Bad("prepare_transaction_without_begin_outside_migration_transaction", None + "PREPARE TRANSACTION 'a';", "transaction-nesting"),

        // COMMIT PREPARED and ROLLBACK PREPARED finish another, prepared transaction: not transaction control of the migrator's
        // own (the migrator does not refuse them), but PostgreSQL refuses both inside a transaction block.
        Bad("commit_prepared_in_transaction", "COMMIT PREPARED 'a';", "not-allowed-in-transaction"),
        Bad("rollback_prepared_in_transaction", "ROLLBACK PREPARED 'a';", "not-allowed-in-transaction"),
        new("commit_prepared_outside_transaction", None + "COMMIT PREPARED 'a';", string.Empty),

        // ---- syntax ----
        Bad("unterminated_string", "INSERT INTO t VALUES ('oops);", "syntax-error"),
        Bad("unterminated_dollar_body", "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $bod$ LANGUAGE sql;", "syntax-error"),
        Bad("unterminated_block_comment", "/* started\nCREATE TABLE a (id int);", "syntax-error"),
        Bad("unterminated_nested_comment", "/* outer /* inner */ still comment\nCREATE TABLE a (id int);", "syntax-error"),
        Bad("unclosed_parenthesis", "CREATE TABLE a (id int, name text;", "syntax-error"),
        Bad("typo_in_verb", "CRATE TABLE a (id int);", "syntax-error"),
        Bad("psql_meta_command", "\\connect trading\nCREATE TABLE a (id int);", "syntax-error"),
        Bad("unterminated_begin_atomic", "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;", "syntax-error"),
        Bad("unterminated_bracket_sqlite", "CREATE TABLE [trades (id INTEGER);", "syntax-error", dialect: Lite),

        // ---- keywords hidden in the wrong place must still be found ----
        Bad("drop_after_comment_with_semicolon", "-- harmless; really\nDROP TABLE trades;", "drop-table irreversible-without-down missing-lock-timeout"),
        Bad("drop_after_dollar_body", "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql; DROP TABLE trades;", "drop-table irreversible-without-down missing-lock-timeout"),
        Bad("drop_after_e_string_with_escaped_quote", "INSERT INTO notes VALUES (E'it\\'s; fine');\nALTER TABLE trades DROP COLUMN fee;", "drop-column irreversible-without-down missing-lock-timeout"),
        Bad("drop_after_string_ending_in_backslash", "INSERT INTO paths VALUES ('C:\\');\nALTER TABLE trades DROP COLUMN fee;", "drop-column irreversible-without-down missing-lock-timeout"),
        Bad("several_statements_one_line", Lt + "CREATE TABLE a (id int); DROP TABLE trades; CREATE INDEX ON a (id);", "drop-table irreversible-without-down"),

        // ---- rollback ----
        Bad("down_drops_preexisting_table", "CREATE TABLE fills (id int);", "down-drops-data down-drops-new-data", down: "DROP TABLE fills;\nDROP TABLE trades;"),
        Bad("down_drops_preexisting_column", Lt + "ALTER TABLE trades ADD COLUMN venue text;", "down-drops-data down-drops-new-data", down: Lt + "ALTER TABLE trades DROP COLUMN venue, DROP COLUMN fee;"),
        Bad("down_narrows_type", Lt + "ALTER TABLE trades ALTER COLUMN qty TYPE bigint;", "change-column-type missing-statement-timeout down-drops-data", down: Lt + "ALTER TABLE trades ALTER COLUMN qty TYPE int;"),
        Bad("down_truncates", "CREATE TABLE fills (id int);", "down-drops-data down-drops-new-data", down: "TRUNCATE trades;\nDROP TABLE fills;"),
        Bad("down_concurrent_index_in_transaction", None + "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON trades (symbol);", "concurrent-index-in-transaction", down: "DROP INDEX CONCURRENTLY IF EXISTS i;"),

        // ---- SQLite specifics ----
        Bad("sqlite_rename_after_trigger_body", "CREATE TRIGGER trg AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN new.x THEN 1 ELSE 0 END; DELETE FROM c; END;\nALTER TABLE trades RENAME TO fills;", "rename-table", dialect: Lite),
        Bad("sqlite_delete_after_trigger_is_top_level", "CREATE TRIGGER trg AFTER INSERT ON a BEGIN DELETE FROM c WHERE id = new.id; END;\nDELETE FROM c;", "delete-without-where irreversible-without-down", dialect: Lite),

        Bad("sqlite_alter_column_type_is_refused", "ALTER TABLE trades ALTER COLUMN venue TYPE INTEGER;", "sqlite-alter-table-limit", dialect: Lite),
        Bad("sqlite_add_unique_constraint_is_refused", "ALTER TABLE trades ADD CONSTRAINT trades_symbol_key UNIQUE (symbol);", "sqlite-alter-table-limit", dialect: Lite),
        Bad("sqlite_add_column_current_timestamp_is_refused", "ALTER TABLE trades ADD COLUMN seen TEXT DEFAULT CURRENT_TIMESTAMP;", "sqlite-alter-table-limit", dialect: Lite),
        Bad("sqlite_add_unique_column_is_refused", "ALTER TABLE trades ADD COLUMN ref TEXT UNIQUE;", "sqlite-alter-table-limit", dialect: Lite),
        Bad("rename_table_then_unrelated_view", Lt + "ALTER TABLE trades RENAME TO fills;\nCREATE VIEW open_fills AS SELECT * FROM fills;", "rename-table"),
        Bad("update_without_where_in_non_transactional_migration", None + "UPDATE trades SET venue = 'XNAS';", "update-without-where"),
        Bad("add_column_check_inline", Lt + "ALTER TABLE trades ADD COLUMN qty2 int CHECK (qty2 > 0);", "add-check-constraint-validating missing-statement-timeout"),
        Bad("add_column_primary_key_inline", Lt + "ALTER TABLE trades ADD COLUMN id bigint PRIMARY KEY;", "add-primary-key-constraint add-not-null-without-default missing-statement-timeout"),
        Bad("two_actions_one_statement", Lt + "ALTER TABLE trades ADD COLUMN note text, DROP COLUMN fee, ALTER COLUMN venue SET NOT NULL;", "drop-column set-not-null irreversible-without-down missing-statement-timeout"),
        Bad("schema_qualified_drop", Lt + "DROP TABLE public.trades CASCADE;", "drop-table irreversible-without-down"),
        new("create_index_on_table_created_in_earlier_migration", Lt + "CREATE INDEX fills_idx ON fills (id);", "create-index-non-concurrently missing-statement-timeout", Prior: ["CREATE TABLE fills (id int);"]),

        Bad("add_not_null_with_default_null", Lt + "ALTER TABLE trades ADD COLUMN venue text NOT NULL DEFAULT NULL;", "add-not-null-without-default"),
        Bad("vacuum_full_true_option", None + Lt + "VACUUM (FULL true, VERBOSE) trades;", "vacuum-full-or-cluster missing-statement-timeout"),
        Bad("lock_without_table_keyword", Lt + "LOCK trades IN SHARE MODE NOWAIT;", "explicit-lock-table"),
        Bad("start_transaction_without_commit", None + "START TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nINSERT INTO a VALUES (1);", "uncommitted-transaction"),
        Bad("drop_database_with_force", "DROP DATABASE IF EXISTS trading WITH (FORCE);", "drop-database not-allowed-in-transaction"),
        Bad("vacuum_in_transaction", "VACUUM ANALYZE trades;", "not-allowed-in-transaction"),
        Bad("vacuum_in_transaction_sqlite", "VACUUM;", "not-allowed-in-transaction", dialect: Lite),
        Bad("create_database_in_transaction", "CREATE DATABASE reporting;", "not-allowed-in-transaction"),
        Bad("alter_table_only_set_not_null", Lt + "ALTER TABLE ONLY trades ALTER venue SET NOT NULL;", "set-not-null missing-statement-timeout"),
        Bad("unicode_quoted_table_drop", Lt + "DROP TABLE U&\"tr\\0061des\";", "drop-table irreversible-without-down"),

        Bad("create_partition_of_existing_parent", "CREATE TABLE ticks_2027 PARTITION OF ticks FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');", "missing-lock-timeout"),
        Bad("attach_partition_without_lock_timeout", "ALTER TABLE ticks ATTACH PARTITION ticks_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');", "missing-lock-timeout"),

        new("sqlite_rebuild_that_leaves_out_a_column", "CREATE TABLE trades_new (id INTEGER PRIMARY KEY, symbol TEXT);\nINSERT INTO trades_new (id, symbol) SELECT id, symbol FROM trades;\nDROP TABLE trades;\nALTER TABLE trades_new RENAME TO trades;", "drop-column irreversible-without-down sqlite-table-rebuild", Dialect: Lite, Prior: ["CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT, fee REAL);"]),
        Bad("partial_copy_then_drop_is_still_a_drop", "CREATE TABLE archive AS SELECT * FROM trades WHERE closed;\nDROP TABLE trades;", "drop-table irreversible-without-down missing-lock-timeout"),

        Bad("validate_and_add_column_in_one_statement_needs_lock_timeout", "ALTER TABLE trades VALIDATE CONSTRAINT c, ADD COLUMN note text;", "missing-lock-timeout"),
        Bad("drop_trigger_without_lock_timeout", "DROP TRIGGER IF EXISTS trades_audit ON trades;", "missing-lock-timeout"),
        Bad("refresh_materialized_view_without_lock_timeout", "REFRESH MATERIALIZED VIEW daily_volume;", "missing-lock-timeout"),

        Bad("enum_value_used_in_same_transaction", "ALTER TYPE order_status ADD VALUE 'expired' AFTER 'filled';\nUPDATE orders SET status = 'expired' WHERE expires_at < now();", "enum-value-used-in-same-transaction"),

        Bad("not_valid_and_validate_in_one_statement", Lt + "ALTER TABLE trades ADD CONSTRAINT chk CHECK (qty > 0) NOT VALID, VALIDATE CONSTRAINT chk;", "validate-in-same-transaction"),

        Bad("sqlite_drop_table_if_exists_quoted", "DROP TABLE IF EXISTS \"trades\";", "drop-table irreversible-without-down", dialect: Lite),
        Bad("sqlite_add_column_function_default_is_refused", "ALTER TABLE t ADD COLUMN c TEXT DEFAULT (datetime('now'));", "sqlite-alter-table-limit", dialect: Lite),
        Bad("sqlite_add_stored_generated_column_is_refused", "ALTER TABLE t ADD COLUMN total REAL GENERATED ALWAYS AS (id * 2) STORED;", "sqlite-alter-table-limit", dialect: Lite),
        Bad("sqlite_update_or_replace_without_where", "UPDATE OR REPLACE t SET a = 1;", "update-without-where", dialect: Lite),
        Bad("sqlite_begin_inside_migration_transaction", "BEGIN;\nCREATE TABLE a (id INTEGER);\nCOMMIT;", "transaction-nesting transaction-control-in-migration", dialect: Lite),

        // ================= SAFE code that looks dangerous =================
        Safe("safe_drop_table_created_in_same_migration", "CREATE TABLE staging (id int);\nINSERT INTO staging SELECT id FROM trades WHERE id < 10;\nDROP TABLE staging;"),
        Safe("safe_drop_table_created_in_same_migration_sqlite", "CREATE TABLE staging (id INTEGER);\nDROP TABLE staging;", dialect: Lite),
        Safe("safe_drop_temp_table", "CREATE TEMP TABLE scratch AS SELECT 1 AS x;\nDROP TABLE scratch;"),
        Safe("safe_add_not_null_with_constant_default", Lt + "ALTER TABLE trades ADD COLUMN venue text NOT NULL DEFAULT 'XNAS';"),
        Safe("safe_add_not_null_with_now_default", Lt + "ALTER TABLE trades ADD COLUMN seen_at timestamptz NOT NULL DEFAULT now();"),
        Safe("safe_add_not_null_with_constant_default_sqlite", "ALTER TABLE trades ADD COLUMN venue TEXT NOT NULL DEFAULT 'XNAS';", dialect: Lite),
        Safe("safe_add_nullable_column", Lt + "ALTER TABLE trades ADD COLUMN note text;"),
        Safe("safe_add_column_sqlite", "ALTER TABLE trades ADD COLUMN note TEXT;", dialect: Lite),
        Safe("safe_set_default_volatile_on_existing_column", Lt + "ALTER TABLE trades ALTER COLUMN token SET DEFAULT gen_random_uuid();"),
        Safe("safe_create_index_on_new_table", "CREATE TABLE fills (id bigint PRIMARY KEY, trade_id bigint NOT NULL);\nCREATE INDEX fills_trade_idx ON fills (trade_id);"),
        Safe("safe_create_index_concurrently_outside_transaction", None + "CREATE INDEX CONCURRENTLY IF NOT EXISTS trades_symbol_idx ON trades (symbol);"),
        Safe("safe_drop_index_concurrently", None + "DROP INDEX CONCURRENTLY IF EXISTS trades_symbol_idx;"),
        Safe("safe_reindex_concurrently", None + "REINDEX INDEX CONCURRENTLY trades_symbol_idx;"),
        Safe("safe_drop_index_created_in_same_migration", "CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nDROP INDEX t_a;"),
        Safe("safe_keyword_in_string", "INSERT INTO notes (body) VALUES ('DROP TABLE trades; TRUNCATE accounts;');"),
        Safe("safe_keyword_in_e_string", "INSERT INTO notes (body) VALUES (E'it\\'s fine; DROP TABLE trades;');"),
        Safe("safe_keyword_in_line_comment", "-- DROP TABLE trades;\nCREATE TABLE fills (id int);"),
        Safe("safe_keyword_in_block_comment", "/* ALTER TABLE trades DROP COLUMN fee; */\nCREATE TABLE fills (id int);"),
        Safe("safe_keyword_in_nested_comment", "/* outer /* DROP TABLE x; */ still comment: TRUNCATE y; */\nCREATE TABLE fills (id int);"),
        Safe("safe_keyword_in_dollar_body", "CREATE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $fn$\nBEGIN\n  DELETE FROM audit_log;\n  DROP TABLE IF EXISTS scratch;\nEND;\n$fn$;"),
        Safe("safe_double_dollar_inside_tagged_body", "CREATE FUNCTION f() RETURNS text LANGUAGE sql AS $outer$ SELECT $$; DROP TABLE trades; $$ $outer$;"),
        Safe("safe_delete_without_where_in_begin_atomic", "CREATE FUNCTION purge() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM audit_log; UPDATE counters SET n = 0; END;"),
        Safe("safe_case_end_in_begin_atomic", "CREATE FUNCTION sign_of(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; SELECT CASE x WHEN 0 THEN 0 END; END;"),
        Safe("safe_quoted_identifier_with_keywords", "CREATE TABLE \"drop table\" (\"truncate\" int, \"delete;\" text);"),
        Safe("safe_quoted_identifier_sqlite_brackets", "CREATE TABLE [drop; table] ([delete] INTEGER, `update` TEXT);", dialect: Lite),
        Safe("safe_sqlite_trigger_with_delete_inside", "CREATE TRIGGER trg AFTER DELETE ON accounts BEGIN DELETE FROM sessions WHERE account_id = old.id; UPDATE stats SET n = n - 1; END;", dialect: Lite),
        Safe("safe_sqlite_trigger_update_without_where_inside", "CREATE TRIGGER trg AFTER INSERT ON trades BEGIN UPDATE stats SET n = n + 1; END;", dialect: Lite),
        Safe("safe_delete_with_where", "DELETE FROM sessions WHERE expires_at < now();", down: "SELECT 1;"),
        Safe("safe_update_with_where", "UPDATE accounts SET tier = 'gold' WHERE balance > 1000000;"),
        Safe("safe_update_with_where_sqlite", "UPDATE accounts SET tier = 'gold' WHERE balance > 1000000;", dialect: Lite),
        Safe("safe_delete_of_new_table", "CREATE TABLE seed (id int);\nINSERT INTO seed VALUES (1);\nDELETE FROM seed;"),
        Safe("safe_not_valid_foreign_key", Lt + "ALTER TABLE trades ADD CONSTRAINT trades_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;"),
        Safe("safe_validate_in_later_migration", Lt + "ALTER TABLE trades VALIDATE CONSTRAINT trades_account_fk;"),
        Safe("safe_not_valid_check", Lt + "ALTER TABLE trades ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID;"),
        Safe("safe_not_valid_then_validate_outside_transaction", None + "SET lock_timeout = '5s';\nALTER TABLE IF EXISTS trades ADD CONSTRAINT qty_positive CHECK (qty > 0) NOT VALID;\nALTER TABLE trades VALIDATE CONSTRAINT qty_positive;"),
        Safe("safe_unique_using_index", Lt + "ALTER TABLE trades ADD CONSTRAINT trades_ref_key UNIQUE USING INDEX trades_ref_idx;"),
        Safe("safe_primary_key_using_index", Lt + "ALTER TABLE trades ADD CONSTRAINT trades_pkey PRIMARY KEY USING INDEX trades_id_idx;"),
        Safe("safe_constraints_on_new_table", "CREATE TABLE fills (id bigint, trade_id bigint);\nALTER TABLE fills ADD PRIMARY KEY (id);\nALTER TABLE fills ADD CONSTRAINT fills_trade_fk FOREIGN KEY (trade_id) REFERENCES trades (id);\nALTER TABLE fills ADD CHECK (id > 0);"),
        Safe("safe_create_table_with_foreign_key", "CREATE TABLE fills (id bigint PRIMARY KEY, trade_id bigint NOT NULL REFERENCES trades (id), qty int CHECK (qty > 0) UNIQUE);"),
        Safe("safe_rename_column_of_new_table", "CREATE TABLE fills (qty int);\nALTER TABLE fills RENAME COLUMN qty TO quantity;"),
        Safe("safe_varchar_widening_known_type", Lt + "ALTER TABLE users ALTER COLUMN name TYPE varchar(300);", prior: UsersTable),
        Safe("safe_varchar_to_text_known_type", Lt + "ALTER TABLE users ALTER COLUMN name TYPE text;", prior: UsersTable),
        Safe("safe_change_type_of_column_added_in_same_migration", Lt + "ALTER TABLE trades ADD COLUMN note varchar(10);\nALTER TABLE trades ALTER COLUMN note TYPE text;"),
        Safe("safe_set_not_null_after_validated_check", Lt + "ALTER TABLE trades ALTER COLUMN venue SET NOT NULL;\nALTER TABLE trades DROP CONSTRAINT venue_nn;", prior: VenueChecked),
        Safe("safe_set_lock_timeout_before_ddl", "SET lock_timeout = '5s';\nALTER TABLE trades ADD COLUMN note text;"),
        Safe("safe_set_local_lock_timeout_in_transaction", "SET LOCAL lock_timeout = '3s';\nALTER TABLE trades ADD COLUMN note text;"),
        Safe("safe_set_config_lock_timeout", "SELECT set_config('lock_timeout', '5s', true);\nALTER TABLE trades ADD COLUMN note text;"),
        Safe("safe_lock_timeout_to_number", "SET lock_timeout TO 5000;\nALTER TABLE trades ADD COLUMN note text;"),
        Safe("safe_rollback_to_savepoint_in_migration_transaction", "SAVEPOINT x;\nINSERT INTO audit_log (note) VALUES ('try');\nROLLBACK TO SAVEPOINT x;\nROLLBACK WORK TO x;\nRELEASE SAVEPOINT x;"),
        Safe("safe_rollback_to_savepoint_sqlite", "SAVEPOINT x;\nINSERT INTO audit_log (note) VALUES ('try');\nROLLBACK TRANSACTION TO SAVEPOINT x;\nRELEASE x;", dialect: Lite),
        Safe("safe_commit_inside_begin_in_non_transactional_migration", None + "BEGIN;\nINSERT INTO audit_log (note) VALUES ('a');\nCOMMIT;\nSTART TRANSACTION;\nINSERT INTO audit_log (note) VALUES ('b');\nROLLBACK;"),
        Safe("safe_prepare_transaction_inside_begin_in_non_transactional_migration", None + "BEGIN;\nINSERT INTO audit_log (note) VALUES ('a');\nPREPARE TRANSACTION 'a';"),
        Safe("safe_explicit_transaction_in_non_transactional_migration", None + "BEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE trades ADD COLUMN note text;\nCOMMIT;"),
        Bad("sqlite_table_rebuild_is_surfaced_for_review", "CREATE TABLE trades_new (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL);\nINSERT INTO trades_new (id, symbol) SELECT id, symbol FROM trades;\nDROP TABLE trades;\nALTER TABLE trades_new RENAME TO trades;\nCREATE INDEX trades_symbol ON trades (symbol);", "sqlite-table-rebuild", dialect: Lite),
        Safe("safe_rename_old_and_recreate", Lt + "ALTER TABLE trades RENAME TO trades_old;\nCREATE TABLE trades (id bigint PRIMARY KEY);\nINSERT INTO trades SELECT id FROM trades_old;\nDROP TABLE trades_old;"),
        Safe("safe_drop_schema_created_in_same_migration", "CREATE SCHEMA scratch;\nCREATE TABLE scratch.t (id int);\nDROP SCHEMA scratch CASCADE;"),
        Safe("safe_create_table_if_not_exists_outside_transaction", None + "CREATE TABLE IF NOT EXISTS fills (id int);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS fills_id ON fills (id);"),
        Safe("safe_add_enum_value", "ALTER TYPE order_side ADD VALUE IF NOT EXISTS 'short' AFTER 'sell';"),
        Safe("safe_comment_and_grant", "COMMENT ON TABLE trades IS 'drop table is not here';\nGRANT SELECT ON trades TO reporting;"),
        Safe("safe_detach_partition_concurrently", None + "SET lock_timeout = '5s';\nALTER TABLE trades DETACH PARTITION trades_2020 CONCURRENTLY;"),
        Safe("safe_plain_vacuum_analyze", None + "VACUUM ANALYZE trades;"),
        Bad("down_drops_only_what_up_created_loses_what_was_written_since", "CREATE TABLE fills (id int);\n" + Lt + "ALTER TABLE trades ADD COLUMN venue text;", "down-drops-new-data", down: Lt + "ALTER TABLE trades DROP COLUMN venue;\nDROP TABLE fills;"),
        Bad("down_drops_the_column_its_up_added", Lt + "ALTER TABLE trades ADD COLUMN note varchar(10);", "down-drops-new-data", down: Lt + "ALTER TABLE trades DROP COLUMN note;"),
        Safe("safe_down_deletes_seeded_rows", "INSERT INTO currencies (code) VALUES ('EUR');", down: "DELETE FROM currencies WHERE code = 'EUR';"),
        Safe("safe_delete_with_where_without_down", "DELETE FROM sessions WHERE created_at < '2020-01-01';"),
        Safe("safe_rename_table_with_compatibility_view", Lt + "ALTER TABLE trades RENAME TO fills;\nCREATE VIEW trades AS SELECT * FROM fills;"),
        Safe("safe_sqlite_add_column_constant_default", "ALTER TABLE trades ADD COLUMN qty INTEGER NOT NULL DEFAULT 0;", dialect: Lite),
        Safe("safe_add_column_jsonb_constant_default", Lt + "ALTER TABLE trades ADD COLUMN meta jsonb NOT NULL DEFAULT '{}'::jsonb;"),
        Safe("safe_add_column_current_timestamp_default", Lt + "ALTER TABLE trades ADD COLUMN created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP;"),
        Safe("safe_add_column_stable_expression_default", Lt + "ALTER TABLE trades ADD COLUMN due date DEFAULT (now() + interval '1 day');"),
        Safe("safe_add_virtual_generated_column", Lt + "ALTER TABLE trades ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) VIRTUAL;"),
        Safe("safe_statement_timeout_and_lock_timeout_set", "SET lock_timeout = '2s';\nSET statement_timeout = '30s';\nALTER TABLE trades ADD COLUMN note text;"),
        Safe("safe_numeric_precision_increase_known_type", Lt + "ALTER TABLE prices ALTER COLUMN px TYPE numeric(20,4);", prior: ["CREATE TABLE prices (px numeric(12,4));"]),
        Safe("safe_create_table_then_everything_on_it", "CREATE TABLE fills (id bigint, qty int, note varchar(10));\nALTER TABLE fills ALTER COLUMN qty SET NOT NULL;\nALTER TABLE fills ALTER COLUMN note TYPE text;\nALTER TABLE fills ADD CONSTRAINT fills_q UNIQUE (qty);\nALTER TABLE fills RENAME TO fills2;\nCREATE INDEX f2 ON fills2 (qty);"),
        Safe("safe_partitioned_parent_index_on_only", "CREATE INDEX measurements_ts ON ONLY measurements (ts);"),
        Safe("safe_vacuum_full_false", None + "VACUUM (FULL false, ANALYZE) trades;"),
        Safe("safe_add_nullable_column_with_default_null", Lt + "ALTER TABLE trades ADD COLUMN venue text DEFAULT NULL;"),
        Safe("safe_batched_backfill", "UPDATE trades SET venue = 'XNAS' WHERE id BETWEEN 1 AND 10000 AND venue IS NULL;"),
        Bad("sqlite_rebuild_with_rename_old_first", "ALTER TABLE trades RENAME TO trades_old;\nCREATE TABLE trades (id INTEGER PRIMARY KEY, venue TEXT);\nINSERT INTO trades (id) SELECT id FROM trades_old;\nDROP TABLE trades_old;", "sqlite-table-rebuild", dialect: Lite),
        Safe("safe_index_on_materialized_view_created_here", "CREATE MATERIALIZED VIEW daily AS SELECT symbol, sum(qty) AS v FROM trades GROUP BY 1 WITH NO DATA;\nCREATE UNIQUE INDEX daily_key ON daily (symbol);"),
        Safe("safe_partitioned_table_created_here", "CREATE TABLE ticks (ts timestamptz NOT NULL, px numeric) PARTITION BY RANGE (ts);\nCREATE TABLE ticks_2026 PARTITION OF ticks FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\nCREATE INDEX ON ticks (ts);"),
        Safe("safe_plpgsql_batched_backfill_in_do_block", None + "DO $$\nDECLARE n int;\nBEGIN\n  LOOP\n    UPDATE trades SET venue = 'X' WHERE id IN (SELECT id FROM trades WHERE venue IS NULL LIMIT 1000);\n    GET DIAGNOSTICS n = ROW_COUNT;\n    EXIT WHEN n = 0;\n    COMMIT;\n  END LOOP;\nEND $$;"),
        Safe("safe_trigger_function_and_trigger_with_lock_timeout", "CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END; $$;\n" + Lt + "CREATE TRIGGER t_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();"),
        new("sqlite_rebuild_keeping_every_known_column_is_still_a_rebuild", "CREATE TABLE trades_new (id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, fee REAL);\nINSERT INTO trades_new SELECT id, symbol, fee FROM trades;\nDROP TABLE trades;\nALTER TABLE trades_new RENAME TO trades;", "sqlite-table-rebuild", Dialect: Lite, Prior: ["CREATE TABLE trades (id INTEGER PRIMARY KEY, symbol TEXT, fee REAL);"]),
        Safe("safe_refresh_materialized_view_concurrently", None + "REFRESH MATERIALIZED VIEW CONCURRENTLY daily_volume;"),
        Safe("safe_drop_trigger_with_lock_timeout", Lt + "DROP TRIGGER IF EXISTS trades_audit ON trades;\nDROP FUNCTION IF EXISTS audit();"),
        Safe("safe_validate_needs_no_lock_timeout", "ALTER TABLE trades VALIDATE CONSTRAINT trades_account_fk;"),
        Safe("safe_set_statistics_and_storage_parameters", "ALTER TABLE trades ALTER COLUMN symbol SET STATISTICS 1000;\nALTER TABLE trades SET (autovacuum_vacuum_scale_factor = 0.01);"),
        Safe("safe_vacuum_sqlite_outside_transaction", None + "VACUUM;", dialect: Lite),
        Safe("safe_enum_value_used_after_commit_in_non_transactional_migration", None + "ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'expired' BEFORE 'cancelled';\nUPDATE orders SET status = 'expired' WHERE expires_at < now();"),
        Safe("safe_sqlite_create_table_strict_with_current_timestamp_default", "CREATE TABLE IF NOT EXISTS trades (id INTEGER PRIMARY KEY AUTOINCREMENT, qty INTEGER NOT NULL CHECK (qty > 0), at TEXT DEFAULT CURRENT_TIMESTAMP) STRICT;", dialect: Lite),
        Safe("safe_sqlite_add_column_constant_default_in_parentheses", "ALTER TABLE t ADD COLUMN c INTEGER DEFAULT (1);", dialect: Lite),
        Safe("safe_sqlite_add_column_references", "ALTER TABLE t ADD COLUMN acct INTEGER REFERENCES accounts(id);", dialect: Lite),
        Safe("safe_sqlite_partial_index", "CREATE INDEX IF NOT EXISTS open_trades ON trades (symbol) WHERE closed = 0;", dialect: Lite),
        Safe("safe_sqlite_delete_with_subquery_where", "DELETE FROM t WHERE rowid IN (SELECT rowid FROM t LIMIT 10);", dialect: Lite),
        Safe("safe_sqlite_upsert", "INSERT INTO t (k, v) VALUES ('a', 1) ON CONFLICT(k) DO UPDATE SET v = excluded.v;", dialect: Lite),
        Safe("safe_sqlite_drop_column_of_new_table", "CREATE TABLE n (a INTEGER, b TEXT);\nALTER TABLE n DROP COLUMN b;", dialect: Lite),
        Safe("safe_sqlite_update_from_with_where", "UPDATE t SET a = s.a FROM s WHERE s.id = t.id;", dialect: Lite),
        Safe("safe_sqlite_add_virtual_generated_column", "ALTER TABLE t ADD COLUMN total REAL GENERATED ALWAYS AS (qty * px) VIRTUAL;", dialect: Lite),
        Safe("safe_sqlite_savepoints", "SAVEPOINT s1;\nINSERT INTO t VALUES (1);\nRELEASE s1;", dialect: Lite),
        Safe("safe_insert_select", "INSERT INTO archive SELECT * FROM trades WHERE closed;"),
        Safe("safe_create_view_and_function", "CREATE OR REPLACE VIEW open_trades AS SELECT * FROM trades WHERE NOT closed;\nCREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';"),
        Safe("safe_do_block", "DO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN RAISE NOTICE 'x; DROP TABLE y'; END IF; END $$;"),
        Safe("safe_standard_string_ending_in_backslash", "INSERT INTO paths (p) VALUES ('C:\\temp\\');\nINSERT INTO paths (p) VALUES ('D:\\');"),
        Safe("safe_trailing_semicolons_and_blank_statements", ";;\nCREATE TABLE a (id int);;\n;"),
        Safe("safe_sqlite_pragma_and_create", "PRAGMA foreign_keys = ON;\nCREATE TABLE IF NOT EXISTS fills (id INTEGER PRIMARY KEY, trade_id INTEGER REFERENCES trades(id));\nCREATE INDEX IF NOT EXISTS fills_trade ON fills (trade_id);", dialect: Lite),
        Safe("safe_sqlite_insert_or_replace", "INSERT OR REPLACE INTO settings (k, v) VALUES ('drop table', 'x');", dialect: Lite),
        Safe("safe_column_named_like_keyword", Lt + "ALTER TABLE trades ADD COLUMN \"drop\" text;"),
        Safe("safe_update_from_with_where", "UPDATE trades t SET fee = f.fee FROM fees f WHERE f.trade_id = t.id;"),
        Safe("safe_cte_update_with_where", "WITH src AS (SELECT id FROM x) UPDATE trades SET closed = true WHERE id IN (SELECT id FROM src);"),
        Safe("safe_create_table_as_then_drop", "CREATE TABLE snap AS SELECT * FROM trades;\nDROP TABLE snap;"),
        Safe("safe_suppressed_drop_column", Lt + "-- safety: ignore drop-column, irreversible-without-down reason: fee unused since 2026-10\nALTER TABLE trades DROP COLUMN fee;"),
        Safe("safe_suppressed_trailing_comment", Lt + "ALTER TABLE trades DROP COLUMN fee; -- safety: ignore drop-column, irreversible-without-down reason: unused since 2026-10"),
        Safe("safe_suppressed_whole_file", "/* safety: ignore-file missing-lock-timeout reason: run in maintenance window */\nALTER TABLE trades ADD COLUMN a text;\nALTER TABLE trades ADD COLUMN b text;"),
    ];
}
